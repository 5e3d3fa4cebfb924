/**
 * `pnpm bench dfget [--size BYTES] [--limit BYTES_PER_S] [--rounds N]`: a file from a local HTTP
 * origin (nginx when installed) fetched by dfget (cold) and by `curl -o`, alternating, N rounds
 * (default 5); a warm cache hit against `cp`; the daemon's peak RSS; and the measured rate under
 * a download limit (default 50 MB/s) after its one second of burst. On a VM with free page reporting (Firecracker) the run pauses
 * it, as root, and says so in the JSON (`vm_page_reporting`): see support/page-reporting.ts.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { parseArgs } from "@df/config";
import { taskId } from "@df/proto/task-id";
import { freePort, httpOk, startApp, waitFor } from "@df/testkit";

import { BURST_SECONDS } from "../apps/dfdaemon/src/limit/token-bucket";
import { deleteTask } from "./support/daemon-tasks";
import { startFileOrigin } from "./support/file-origin";
import { nginxAvailable, startNginxOrigin } from "./support/nginx-origin";
import { pausePageReporting } from "./support/page-reporting";
import { peakRssMb, writeRandomFile } from "./support/files";
import { median } from "./support/stats";

async function startDaemon(dir: string, extra: string[] = []) {
  const [upload, data, health, proxy] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const socket = join(dir, "d.sock");
  const proc = startApp("dfdaemon", [
    "--upload.listenIp=127.0.0.1",
    `--upload.port=${upload}`,
    `--upload.dataPort=${data}`,
    `--health.port=${health}`,
    `--proxy.port=${proxy}`,
    `--server.socketPath=${socket}`,
    `--storage.dataDir=${join(dir, "data")}`,
    "--log.level=warn",
    ...extra,
  ]);
  await waitFor("dfdaemon", () => httpOk(`http://127.0.0.1:${health}/healthy`), 30_000);
  return { socket, proc };
}

/** timed runs a command (asynchronously: the origin lives in this process) and returns seconds. */
async function timed(cmd: string, args: string[]): Promise<number> {
  const t = performance.now();
  const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "inherit"] });
  const code = await new Promise<number | null>((r) => child.once("exit", r));
  if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed with ${code}`);
  return (performance.now() - t) / 1000;
}

const dfgetArgs = (socket: string, url: string, out: string) => [
  "apps/dfdaemon/bin/dfget.mjs",
  "--endpoint",
  socket,
  "--no-progress",
  url,
  "-O",
  out,
];

/**
 * pretouch writes and deletes `bytes` of scratch data in `dir`, just before a timed run. On a VM
 * whose free memory goes back to the host (virtio-balloon free page reporting, as on Firecracker:
 * memory free for about 2 s is reported and discarded), a write into such memory costs several
 * times a write into memory freed a moment ago: measured here, 1 GiB of 1 MiB writes 0.38-0.45 s
 * back to back, 0.7-1.2 s with 3 s pauses, 2.1-2.4 s into never-used memory. Touching the memory
 * right before each run, curl's and dfget's alike, makes both write into the same kind of memory.
 */
async function pretouch(dir: string, bytes: number): Promise<void> {
  const file = join(dir, "pretouch.bin");
  await timed("dd", ["if=/dev/zero", `of=${file}`, "bs=1M", `count=${Math.ceil(bytes / 2 ** 20)}`]);
  rmSync(file);
}

/** run executes the benchmark and prints one JSON line. */
export async function run(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv);
  const size = Number(flags.get("size")?.at(-1) ?? 1024 ** 3);
  const limit = Number(flags.get("limit")?.at(-1) ?? 50_000_000);
  const rounds = Number(flags.get("rounds")?.at(-1) ?? 5);
  for (const [name, value] of [
    ["size", size],
    ["limit", limit],
    ["rounds", rounds],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`bench dfget: --${name} must be a whole number of at least 1`);
  }
  const dir = mkdtempSync(join(tmpdir(), "df-bench-dfget-"));
  const log = (m: string) => process.stderr.write(`bench dfget: ${m}\n`);
  const reporting = pausePageReporting();
  if (reporting.state === "paused") log("free page reporting to the VM host paused for the run");
  if (reporting.state === "active")
    log("free page reporting is on and cannot be paused (not root?): expect noisy figures");
  try {
    await timed("pnpm", ["--filter", "@df/dfdaemon", "build"]);
    const src = join(dir, "source.bin");
    log(`writing a ${size} byte source file`);
    await writeRandomFile(src, size);
    const originKind = nginxAvailable() ? "nginx" : "node";
    if (originKind === "node")
      log("nginx is not installed: the origin is a Node server, which takes CPU from both sides");
    const origin =
      originKind === "nginx" ? await startNginxOrigin(src) : await startFileOrigin(src);
    const daemon = await startDaemon(join(dir, "peer"));
    const mbps = (s: number) => Math.round(size / s / 1e6);

    // Rounds alternate curl and a cold dfget (a new task each round, by tag). After each run its
    // output is deleted, and after dfget the daemon's task too, and each run is preceded by a
    // pretouch, so both sides write into the same kind of page cache. Medians are the figures.
    const touch = () => pretouch(dir, Math.ceil(size * 1.25));
    // One untimed run of each first: a daemon's first download also pays for its JIT warm-up,
    // first connections and first buffers, once per daemon lifetime, not per download.
    log("warm-up: one untimed curl and dfget");
    await timed("curl", ["-sf", "-o", join(dir, "curl.bin"), origin.url]);
    rmSync(join(dir, "curl.bin"));
    await timed(process.execPath, [
      ...dfgetArgs(daemon.socket, origin.url, join(dir, "cold.bin")),
      "--tag",
      "warm-up",
    ]);
    rmSync(join(dir, "cold.bin"));
    await deleteTask(daemon.socket, taskId({ url: origin.url, tag: "warm-up" }));
    const curls: number[] = [];
    const colds: number[] = [];
    for (let i = 0; i < rounds; i++) {
      log(`round ${i + 1}/${rounds}: curl -o, then dfget cold`);
      await touch();
      curls.push(await timed("curl", ["-sf", "-o", join(dir, "curl.bin"), origin.url]));
      rmSync(join(dir, "curl.bin"));
      const args = dfgetArgs(daemon.socket, origin.url, join(dir, "cold.bin"));
      await touch();
      colds.push(await timed(process.execPath, [...args, "--tag", `round-${i}`]));
      rmSync(join(dir, "cold.bin"));
      if (i < rounds - 1)
        await deleteTask(daemon.socket, taskId({ url: origin.url, tag: `round-${i}` }));
    }
    const curl = median(curls);
    const cold = median(colds);
    const rss = await peakRssMb(daemon.proc.child.pid ?? 0);
    log("dfget warm (cache hit) and cp");
    const warm = await timed(process.execPath, [
      ...dfgetArgs(daemon.socket, origin.url, join(dir, "warm.bin")),
      "--tag",
      `round-${rounds - 1}`,
    ]);
    const cp = await timed("cp", [src, join(dir, "cp.bin")]);
    await daemon.proc.stop();
    for (const f of ["warm.bin", "cp.bin"]) rmSync(join(dir, f), { force: true });

    const limitedSize = Math.min(size, 10 * limit);
    log(`dfget with a ${limit} B/s download limit (first ${limitedSize} bytes)`);
    const limited = await startDaemon(join(dir, "limited"), [
      `--download.download_rate_limit=${limit}`,
    ]);
    const limitedSeconds = await timed(process.execPath, [
      ...dfgetArgs(limited.socket, origin.url, join(dir, "limited.bin")),
      "--range",
      `0-${limitedSize - 1}`,
    ]);
    await limited.proc.stop();
    await origin.close();
    // The limiter lets one second of the rate through at once (BURST_SECONDS, as Dragonfly), so
    // the rate it holds to is that of the bytes after the burst.
    const afterBurst = limitedSize - limit * BURST_SECONDS;
    const measuredRate = (afterBurst > 0 ? afterBurst : limitedSize) / limitedSeconds;

    console.log(
      JSON.stringify({
        bench: "dfget",
        size_bytes: size,
        origin: originKind,
        vm_page_reporting: reporting.state,
        curl_s: +curl.toFixed(2),
        dfget_cold_s: +cold.toFixed(2),
        curl_mb_s: mbps(curl),
        dfget_cold_mb_s: mbps(cold),
        throughput_ratio_vs_curl: +(curl / cold).toFixed(3),
        rounds_curl_s: curls.map((x) => +x.toFixed(2)),
        rounds_dfget_cold_s: colds.map((x) => +x.toFixed(2)),
        dfget_warm_s: +warm.toFixed(2),
        cp_s: +cp.toFixed(2),
        warm_ratio_vs_cp: +(cp / warm).toFixed(3),
        daemon_peak_rss_mb: rss,
        limit_bytes_s: limit,
        limited_measured_bytes_s: Math.round(measuredRate),
        limit_error_percent: +(((measuredRate - limit) / limit) * 100).toFixed(1),
      }),
    );
  } finally {
    reporting.restore();
    rmSync(dir, { recursive: true, force: true });
  }
}
