import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { freePort, httpOk, startApp, waitFor, type ManagedProcess } from "@df/testkit";

/** TestDaemon is a real dfdaemon process with its own ports, socket and data folder. */
export interface TestDaemon {
  dir: string;
  socket: string;
  dataDir: string;
  dataPort: number;
  uploadPort: number;
  proc: ManagedProcess;
  args: string[];
  /** restart starts the daemon again on the same ports and data folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** startDaemon starts a dfdaemon with `extra` flags and waits until it is healthy. */
export async function startDaemon(name: string, extra: string[] = []): Promise<TestDaemon> {
  const dir = mkdtempSync(join(tmpdir(), `df-${name}-`));
  const [upload, data, health, proxy] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const socket = join(dir, "dfdaemon.sock");
  const dataDir = join(dir, "data");
  const args = [
    `--host.hostname=${name}`,
    "--host.ip=127.0.0.1",
    "--upload.listenIp=127.0.0.1",
    `--upload.port=${upload}`,
    `--upload.dataPort=${data}`,
    `--health.port=${health}`,
    `--proxy.port=${proxy}`,
    `--server.socketPath=${socket}`,
    `--storage.dataDir=${dataDir}`,
    ...extra,
  ];
  const d: TestDaemon = {
    dir,
    socket,
    dataDir,
    dataPort: data,
    uploadPort: upload,
    args,
    proc: startApp("dfdaemon", args, { name }),
    async restart() {
      d.proc = startApp("dfdaemon", args, { name });
      await waitFor(`${name} health`, () => httpOk(`http://127.0.0.1:${health}/healthy`), 30_000);
    },
    async stop() {
      await d.proc.stop();
    },
  };
  try {
    await waitFor(`${name} health`, () => httpOk(`http://127.0.0.1:${health}/healthy`), 30_000);
  } catch (err) {
    await d.proc.stop();
    throw err;
  }
  return d;
}

/** dfget runs the real dfget against a daemon and resolves with its exit code and output. */
export async function dfget(
  socket: string,
  args: string[],
): Promise<{ code: number | string; output: string }> {
  const p = startApp("dfget", ["--endpoint", socket, "--no-progress", ...args]);
  const code = await p.exited;
  return { code, output: p.output() };
}
