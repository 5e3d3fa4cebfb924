/**
 * The config-push benchmark: an in-process manager (PGlite, or PostgreSQL at DATABASE_URL), N
 * WatchConfig subscribers on their own gRPC connections, and M saved config changes. Latency is
 * from the start of a save to each subscriber receiving that revision, in one process clock.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

import { credentials } from "@grpc/grpc-js";

import { createLogger } from "@df/logger";
import { ManagerClient, type ConfigUpdate } from "@df/proto/manager/v2";

import { createManager } from "../../src/server/manager";
import { saveClusterConfig } from "../../src/server/services/cluster-config";
import { createCluster, deleteCluster } from "../../src/server/services/scheduler-clusters";
import { testConfig } from "./manager";

/** BenchOptions size the run. */
export interface BenchOptions {
  subscribers: number;
  changes: number;
  databaseUrl: string;
}

/** BenchResult is the one JSON line the bench prints. */
export interface BenchResult {
  bench: "config-push";
  subscribers: number;
  changes: number;
  p50_s: number;
  p99_s: number;
}

/** percentile is the nearest-rank percentile of sorted samples. */
const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

/** Subscriber is one WatchConfig stream with a callback for each revision. */
interface Subscriber {
  client: ManagerClient;
  received: Map<number, number>;
}

/** runConfigPushBench runs the benchmark and cleans up after itself. */
export async function runConfigPushBench(opts: BenchOptions): Promise<BenchResult> {
  const dir = opts.databaseUrl ? undefined : mkdtempSync(join(tmpdir(), "df-bench-"));
  const config = testConfig(opts.databaseUrl, dir ? join(dir, "pglite") : undefined);
  const manager = createManager(config, createLogger("manager", { level: "error" }), {
    pages: false,
  });
  const subscribers: Subscriber[] = [];
  let clusterId: number | undefined;
  try {
    const { grpcPort } = await manager.serve();
    const services = manager.services();
    const cluster = await createCluster(
      services.db,
      { name: `bench-${process.pid}-${Date.now()}`, bio: "config-push bench", isDefault: false },
      null,
    );
    clusterId = cluster.id;
    let wake = () => {};
    for (let i = 0; i < opts.subscribers; i++) {
      const client = new ManagerClient(`127.0.0.1:${grpcPort}`, credentials.createInsecure(), {
        "grpc.use_local_subchannel_pool": 1,
      });
      const sub: Subscriber = { client, received: new Map() };
      const stream = client.watchConfig({
        component: 1,
        hostname: `bench-${i}`,
        ip: "127.0.0.1",
        schedulerClusterId: cluster.id,
        revision: 0,
      });
      stream.on("data", (u: ConfigUpdate) => {
        sub.received.set(u.revision, performance.now());
        wake();
      });
      stream.on("error", () => undefined);
      subscribers.push(sub);
    }
    const allHave = (revision: number) => subscribers.every((s) => s.received.has(revision));
    const until = (revision: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`revision ${revision} not delivered`)),
          30_000,
        );
        wake = () => {
          if (!allHave(revision)) return;
          clearTimeout(timer);
          resolve();
        };
        wake();
      });
    await until(cluster.configRevision);

    const samples: number[] = [];
    for (let i = 1; i <= opts.changes; i++) {
      const started = performance.now();
      const saved = await saveClusterConfig(
        services,
        cluster.id,
        { config: { candidate_parent_limit: 1 + (i % 20) } },
        null,
      );
      await until(saved.revision);
      for (const s of subscribers)
        samples.push(((s.received.get(saved.revision) ?? started) - started) / 1000);
    }
    samples.sort((a, b) => a - b);
    const round = (s: number) => Math.round(s * 1e6) / 1e6;
    return {
      bench: "config-push",
      subscribers: opts.subscribers,
      changes: opts.changes,
      p50_s: round(percentile(samples, 50)),
      p99_s: round(percentile(samples, 99)),
    };
  } finally {
    for (const s of subscribers) s.client.close();
    if (clusterId !== undefined)
      await deleteCluster(manager.services().db, clusterId).catch(() => undefined);
    await manager.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
