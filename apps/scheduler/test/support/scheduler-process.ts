import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { freePort, grpcServing, startApp, waitFor, type ManagedProcess } from "@df/testkit";

/** LinkedScheduler is a real scheduler process linked to a manager, with its own port and data folder. */
export interface LinkedScheduler {
  /** addr is the scheduler's gRPC address, `127.0.0.1:port`. */
  addr: string;
  dataDir: string;
  proc: ManagedProcess;
  /** restart stops the scheduler and starts it again with the same flags and data folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** startLinkedScheduler starts a scheduler named `hostname` linked to `managerAddr` and waits until it serves. */
export async function startLinkedScheduler(
  hostname: string,
  managerAddr: string,
  extra: string[] = [],
): Promise<LinkedScheduler> {
  const port = await freePort();
  const dataDir = join(mkdtempSync(join(tmpdir(), `df-${hostname}-`)), "data");
  const addr = `127.0.0.1:${port}`;
  const args = [
    `--host.hostname=${hostname}`,
    "--server.listenIp=127.0.0.1",
    "--server.advertiseIp=127.0.0.1",
    `--server.port=${port}`,
    `--manager.addr=${managerAddr}`,
    ...extra,
  ];
  const launch = async () => {
    // Top-level keys cannot be set by flag (flags need a dotted path), so dataDir goes by env.
    const env = { DF_SCHEDULER_DATA_DIR: dataDir };
    const proc = startApp("scheduler", args, { name: hostname, env });
    await waitFor(`${hostname} gRPC health`, () => grpcServing(addr), 60_000);
    return proc;
  };
  const s: LinkedScheduler = {
    addr,
    dataDir,
    proc: await launch(),
    async restart() {
      await s.proc.stop();
      s.proc = await launch();
    },
    async stop() {
      await s.proc.stop();
    },
  };
  return s;
}

/** logged waits until `proc` printed a line matching `line`. */
export function logged(proc: ManagedProcess, line: RegExp, timeoutMs = 30_000): Promise<void> {
  return waitFor(
    `${proc.name} to log ${String(line)}`,
    async () => line.test(proc.output()),
    timeoutMs,
    25,
  );
}
