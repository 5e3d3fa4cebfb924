import { freePort, grpcServing, startApp, waitFor, type ManagedProcess } from "@df/testkit";

import { startDaemon, type TestDaemon } from "../../../dfdaemon/test/support/daemon";

export { dfget } from "../../../dfdaemon/test/support/daemon";
export { randomContent, startOrigin, type Origin } from "../../../dfdaemon/test/support/origin";

/** TestScheduler is a real scheduler process on a free port. */
export interface TestScheduler {
  addr: string;
  proc: ManagedProcess;
}

/** startScheduler starts a scheduler (no manager) with extra flags and waits until it serves. */
export async function startScheduler(
  name = "scheduler",
  extra: string[] = [],
): Promise<TestScheduler> {
  const port = await freePort();
  const proc = startApp(
    "scheduler",
    [
      "--server.listenIp=127.0.0.1",
      `--server.port=${port}`,
      "--server.advertiseIp=127.0.0.1",
      `--host.hostname=${name}`,
      ...extra,
    ],
    { name, env: { DF_SCHEDULER_DATA_DIR: `/tmp/df-${name}-${port}` } },
  );
  const addr = `127.0.0.1:${port}`;
  await waitFor(`${name} gRPC`, () => grpcServing(addr), 30_000);
  return { addr, proc };
}

/** Swarm is one scheduler set, one seed peer and N peers, all real processes. */
export interface Swarm {
  schedulers: TestScheduler[];
  seed: TestDaemon;
  peers: TestDaemon[];
  stop(): Promise<void>;
}

/** startSwarm starts `schedulers` schedulers, a seed peer and `peers` peers pointed at them. */
export async function startSwarm(opts: {
  peers: number;
  schedulers?: number;
  schedulerFlags?: string[];
  daemonFlags?: string[];
  /** peerFlags go to the peers only, after daemonFlags (not to the seed peer). */
  peerFlags?: string[];
}): Promise<Swarm> {
  const schedulers = await Promise.all(
    Array.from({ length: opts.schedulers ?? 1 }, (_, i) =>
      startScheduler(`scheduler-${i}`, opts.schedulerFlags),
    ),
  );
  const addrs = `--scheduler.addrs=${schedulers.map((s) => s.addr).join(",")}`;
  const flags = [addrs, ...(opts.daemonFlags ?? [])];
  const stopSchedulers = () => Promise.all(schedulers.map((s) => s.proc.stop()));
  const seed = await startDaemon("seed", [...flags, "--seedPeer.enable=true"]).catch(
    async (err: unknown) => {
      await stopSchedulers();
      throw err;
    },
  );
  const started = await Promise.allSettled(
    Array.from({ length: opts.peers }, (_, i) =>
      startDaemon(`peer-${i}`, [...flags, ...(opts.peerFlags ?? [])]),
    ),
  );
  const peers = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = started.find((r) => r.status === "rejected");
  if (failed) {
    // A swarm that did not fully start is stopped here: the caller never gets it to stop.
    await Promise.all([...peers, seed].map((d) => d.stop()));
    await stopSchedulers();
    throw failed.reason;
  }
  return {
    schedulers,
    seed,
    peers,
    async stop() {
      await Promise.all([...peers, seed].map((d) => d.stop()));
      await stopSchedulers();
    },
  };
}
