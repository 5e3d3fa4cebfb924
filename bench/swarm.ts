/**
 * `pnpm bench swarm [--peers 8,16,32] [--upload BYTES_PER_S] [--size BYTES]`: N peers, each with
 * upload limit U, and an origin limited to U in total, all download the same file at once. Reports
 * the time until the last peer has it against (a) N direct downloads from the origin and (b) the
 * lower bound max(F/U, N·F/(U + N·U)), and the bytes the origin served as a multiple of F.
 *
 * Each peer's download is dfget's own code (`runDfget`, the same gRPC call to the peer's daemon
 * socket) run inside this process, not N `dfget` processes: on one shared machine, N Node.js
 * start-ups at the same instant cost about 0.2 s of CPU each and would be timed as swarm time
 * (about 0.8 s of a 3 s run at N=8 on 2 cores), while each real host starts its own dfget on its
 * own CPU. The direct baseline's curl processes start in a few milliseconds.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { parseArgs } from "@df/config";

import { parseDfgetArgs } from "../apps/dfdaemon/src/dfget/args";
import { runDfget } from "../apps/dfdaemon/src/dfget/run";
import { startSwarm } from "../apps/scheduler/test/support/swarm";
import { startFileOrigin } from "./support/file-origin";
import { writeRandomFile } from "./support/files";

/** SETTLE_MS is the pause between starting the processes and timing the downloads. */
const SETTLE_MS = 3_000;

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

async function runBench(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv);
  const peersList = (flags.get("peers")?.at(-1) ?? "8,16,32").split(",").map(Number);
  const upload = Number(flags.get("upload")?.at(-1) ?? 16 * 1024 * 1024);
  const size = Number(flags.get("size")?.at(-1) ?? 32 * 1024 * 1024);
  // 1 MiB pieces: a piece can be passed on only once complete, so small pieces re-share sooner.
  const pieceLength = flags.get("piece-length")?.at(-1) ?? "1MiB";
  const dir = mkdtempSync(join(tmpdir(), "df-bench-swarm-"));
  const log = (m: string) => process.stderr.write(`bench swarm: ${m}\n`);
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
        // Let the daemons finish starting (module loading, first announcements) before timing.
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        log(`N=${n}: all peers download at once`);
        const swarmS = await timeAll(
          swarm.peers.map((p, i) => () => {
            const argv = [
              ...["--endpoint", p.socket, "--no-progress", "--piece-length", pieceLength],
              ...[origin.url, "-O", join(dir, `swarm-${i}.bin`)],
            ];
            return dfgetInProcess(argv);
          }),
        );
        const bound = Math.max(size / upload, (n * size) / (upload + n * upload));
        results.push({
          peers: n,
          swarm_s: +swarmS.toFixed(2),
          direct_s: +directS.toFixed(2),
          lower_bound_s: +bound.toFixed(2),
          swarm_vs_bound: +(swarmS / bound).toFixed(2),
          direct_vs_swarm: +(directS / swarmS).toFixed(2),
          origin_bytes_x_file: +(origin.bytesServed() / size).toFixed(3),
        });
        log(JSON.stringify(results.at(-1)));
      } finally {
        await swarm.stop();
        await origin.close();
        for (let i = 0; i < n; i++) rmSync(join(dir, `swarm-${i}.bin`), { force: true });
      }
    }
    console.log(
      JSON.stringify({ bench: "swarm", size_bytes: size, upload_bytes_s: upload, results }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export { runBench as run };
