/** formatBytes renders a byte count with a binary unit. */
export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** formatDuration renders seconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return "--";
  const t = Math.round(s);
  if (t >= 3600)
    return `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, "0")}m`;
  if (t >= 60) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, "0")}s`;
  return `${t}s`;
}

/** formatProgress renders one progress line: bar, percent, bytes, speed and ETA. */
export function formatProgress(done: number, total: number, elapsedMs: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  const speed = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  const eta = speed > 0 ? (total - done) / speed : Infinity;
  const bar =
    "=".repeat(filled) + (filled < width ? ">" : "") + " ".repeat(Math.max(0, width - filled - 1));
  return `[${bar}] ${(ratio * 100).toFixed(0).padStart(3)}% ${formatBytes(done)}/${formatBytes(total)} ${formatBytes(speed)}/s ETA ${formatDuration(eta)}`;
}

/** ProgressBar redraws one terminal line at most every 100 ms. */
export class ProgressBar {
  private last = 0;
  private readonly started = Date.now();

  constructor(private readonly out: NodeJS.WriteStream) {}

  /** update redraws if enough time has passed (or `force`). */
  update(done: number, total: number, force = false): void {
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    this.out.write(`\r${formatProgress(done, total, now - this.started)}`);
  }

  /** finish ends the line. */
  finish(): void {
    this.out.write("\n");
  }
}
