import { readFileSync } from "node:fs";

/** CpuTimes are the machine's busy and total CPU ticks since boot (all cores, /proc/stat). */
interface CpuTimes {
  busy: number;
  total: number;
}

function read(): CpuTimes | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    // cpu  user nice system idle iowait irq softirq steal ...
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/**
 * cpuMeter starts measuring the whole machine's CPU use; `stop` returns the busy share of all
 * cores over the interval (0..1), or undefined off Linux. A figure near
 * 1 means the run was limited by this machine's cores (every simulated host shares them), not by
 * the swarm's protocol or its upload limits.
 */
export function cpuMeter(): { stop(): { busy: number } | undefined } {
  const start = read();
  return {
    stop() {
      const end = read();
      if (!start || !end || end.total <= start.total) return undefined;
      return { busy: (end.busy - start.busy) / (end.total - start.total) };
    },
  };
}
