/**
 * `pnpm bench swarm [--peers 8,16,32] [--upload BYTES_PER_S] [--size BYTES] [--rounds N]`: N peers,
 * each with upload limit U, and an origin limited to U in total, all download the same file at
 * once. Reports the time until the last peer has it (median of N rounds, default 3) against
 * (a) N direct downloads from the origin and (b) the lower bound max(F/U, N·F/(U + N·U)); the
 * bytes the origin served as a multiple of F (the largest of the rounds); and how busy the
 * machine's cores were during the rounds (`cpu_busy`, 0..1: near 1, the figure measures this
 * machine, on which every simulated host shares two cores, more than the swarm).
 *
 * Each peer's download is dfget's own code (`runDfget`, the same gRPC call to the peer's daemon
 * socket) run inside this process, not N `dfget` processes: on one shared machine, N Node.js
 * start-ups at the same instant cost about 0.2 s of CPU each and would be timed as swarm time
 * (about 0.8 s of a 3 s run at N=8 on 2 cores), while each real host starts its own dfget on its
 * own CPU. The direct baseline's curl processes start in a few milliseconds.
 *
 * Like a real host's dfdaemon, which runs for weeks, every daemon has done one download before
 * the timed rounds (an untimed warm-up round of the same file under another tag): a fresh
 * process runs its download path in V8's interpreter at first. Each round is a new task (its own
 * tag), deleted from every daemon after the round. On a VM with free page reporting (Firecracker)
 * the run pauses it, as root (`vm_page_reporting`; see support/page-reporting.ts).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { parseArgs } from "@df/config";
import { taskId } from "@df/proto/task-id";

import { parseDfgetArgs, parseSize } from "../apps/dfdaemon/src/dfget/args";
import { runDfget } from "../apps/dfdaemon/src/dfget/run";
import { startSwarm, type Swarm } from "../apps/scheduler/test/support/swarm";
import { cpuMeter } from "./support/cpu-busy";
import { deleteTask } from "./support/daemon-tasks";
import { startFileOrigin, type FileOrigin } from "./support/file-origin";
import { writeRandomFile } from "./support/files";
import { pausePageReporting } from "./support/page-reporting";
import { median } from "./support/stats";

/**
 * DEFAULT_UPLOAD is U, 8 MiB/s. Every simulated host shares this machine's two cores: at 16 MiB/s,
 * 33 uploaders move about 1 GiB/s over loopback and N = 32 kept the cores 96 % busy, so the
 * figure measured the machine; at 8 MiB/s they are about 78 % busy.
 */
const DEFAULT_UPLOAD = 8 * 1024 * 1024;
/**
 * DEFAULT_SIZE is F, 28 MiB (F/U = 3.5 s): the N direct downloads alone take N·F/U (196 s for
 * N = 8, 16 and 32), which keeps the default run under five minutes.
 */
const DEFAULT_SIZE = 28 * 1024 * 1024;

/**
 * SETTLE_MS is the pause between starting the processes and the untimed warm-up round, which
 * absorbs the rest of their start.
 */
const SETTLE_MS = 1_000;

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err.trim()}`)),
    );
  });
}

/** dfgetInProcess runs dfget's download (argument parsing included) and fails on a non-zero exit. */
async function dfgetInProcess(argv: string[]): Promise<void> {
  const opts = parseDfgetArgs(argv, {}, process.cwd());
  if (!opts) throw new Error("dfget: no arguments");
  const code = await runDfget(opts);
  if (code !== 0) throw new Error(`dfget ${argv.join(" ")} exited ${code}`);
}

async function timeAll(jobs: Array<() => Promise<void>>): Promise<number> {
  const t = performance.now();
  await Promise.all(jobs.map((j) => j()));
  return (performance.now() - t) / 1000;
}

function wholeFlag(flags: Map<string, string[]>, name: string, fallback: number): number {
  const raw = flags.get(name)?.at(-1);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`bench swarm: --${name} must be a whole number of at least 1`);
  return value;
}

/** Round is one download of the file by every peer at once, under its own tag. */
interface Round {
  seconds: number;
  originBytes: number;
  /** finished lists when each peer had the file, in seconds from the round's start. */
  finished: number[];
}

/** swarmRound has every peer download the file under `tag`, then deletes the task everywhere. */
async function swarmRound(
  swarm: Swarm,
  origin: FileOrigin,
  dir: string,
  tag: string,
  pieceLength: string,
): Promise<Round> {
  const before = origin.bytesServed();
  const started = performance.now();
  const finished: number[] = [];
  const seconds = await timeAll(
    swarm.peers.map((p, i) => async () => {
      const argv = [
        ...["--endpoint", p.socket, "--no-progress", "--piece-length", pieceLength],
        ...["--tag", tag, origin.url, "-O", join(dir, `swarm-${i}.bin`)],
      ];
      await dfgetInProcess(argv);
      finished.push((performance.now() - started) / 1000);
    }),
  );
  const originBytes = origin.bytesServed() - before;
  const id = taskId({ url: origin.url, tag, pieceLength: parseSize(pieceLength) });
  await Promise.all(
    [swarm.seed, ...swarm.peers].map((d) =>
      deleteTask(d.socket, id).catch((e: unknown) => {
        throw new Error(`${d.socket}: ${String(e)}`);
      }),
    ),
  );
  for (let i = 0; i < swarm.peers.length; i++) rmSync(join(dir, `swarm-${i}.bin`), { force: true });
  return { seconds, originBytes, finished };
}

async function runBench(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv);
  const peersList = (flags.get("peers")?.at(-1) ?? "8,16,32").split(",").map(Number);
  if (peersList.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error("bench swarm: --peers must be whole numbers of at least 1, comma-separated");
  const upload = wholeFlag(flags, "upload", DEFAULT_UPLOAD);
  const size = wholeFlag(flags, "size", DEFAULT_SIZE);
  const rounds = wholeFlag(flags, "rounds", 3);
  // 1 MiB pieces: smaller ones cost more CPU per byte on this machine than they save in latency.
  const pieceLength = flags.get("piece-length")?.at(-1) ?? "1MiB";
  const dir = mkdtempSync(join(tmpdir(), "df-bench-swarm-"));
  const log = (m: string) => process.stderr.write(`bench swarm: ${m}\n`);
  const reporting = pausePageReporting();
  if (reporting.state === "paused") log("free page reporting to the VM host paused for the run");
  const results = [];
  try {
    await run("pnpm", ["--filter", "@df/dfdaemon", "build"]);
    const src = join(dir, "source.bin");
    await writeRandomFile(src, size);
    for (const n of peersList) {
      log(`N=${n}: ${n} direct downloads from the origin (limited to ${upload} B/s)`);
      const direct = await startFileOrigin(src, upload);
      const directS = await timeAll(
        Array.from(
          { length: n },
          (_, i) => () => run("curl", ["-sf", "-o", join(dir, `direct-${i}.bin`), direct.url]),
        ),
      );
      await direct.close();
      for (let i = 0; i < n; i++) rmSync(join(dir, `direct-${i}.bin`), { force: true });

      log(
        `N=${n}: starting a scheduler, a seed peer and ${n} peers (upload limit ${upload} B/s each)`,
      );
      const origin = await startFileOrigin(src, upload);
      const swarm = await startSwarm({
        peers: n,
        daemonFlags: [`--download.upload_rate_limit=${upload}`, "--log.level=warn"],
        schedulerFlags: ["--log.level=warn"],
      });
      try {
        // Let the daemons finish starting (module loading, first announcements).
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        log(`N=${n}: warm-up round (untimed)`);
        await swarmRound(swarm, origin, dir, "warm-up", pieceLength);
        const done: Round[] = [];
        const meter = cpuMeter();
        for (let r = 0; r < rounds; r++) {
          log(`N=${n}: round ${r + 1}/${rounds}: all peers download at once`);
          done.push(await swarmRound(swarm, origin, dir, `round-${r}`, pieceLength));
          const last = done.at(-1);
          const f = last?.finished ?? [];
          log(
            `N=${n}: round ${r + 1}: ${last?.seconds.toFixed(2)} s; peers done at ${f.map((x) => x.toFixed(2)).join(" ")}`,
          );
        }
        // The meter spans the rounds' deletions too, which take milliseconds.
        const cpu = meter.stop();
        const swarmS = median(done.map((d) => d.seconds));
        const originMax = Math.max(...done.map((d) => d.originBytes));
        const bound = Math.max(size / upload, (n * size) / (upload + n * upload));
        results.push({
          peers: n,
          swarm_s: +swarmS.toFixed(2),
          rounds_s: done.map((d) => +d.seconds.toFixed(2)),
          direct_s: +directS.toFixed(2),
          lower_bound_s: +bound.toFixed(2),
          swarm_vs_bound: +(swarmS / bound).toFixed(2),
          direct_vs_swarm: +(directS / swarmS).toFixed(2),
          origin_bytes_x_file: +(originMax / size).toFixed(3),
          ...(cpu && { cpu_busy: +cpu.busy.toFixed(2) }),
        });
        log(JSON.stringify(results.at(-1)));
      } finally {
        await swarm.stop();
        await origin.close();
      }
    }
    console.log(
      JSON.stringify({
        bench: "swarm",
        size_bytes: size,
        upload_bytes_s: upload,
        vm_page_reporting: reporting.state,
        results,
      }),
    );
  } finally {
    reporting.restore();
    rmSync(dir, { recursive: true, force: true });
  }
}

export { runBench as run };
