import * as grpc from "@grpc/grpc-js";

import { addHealthService } from "@df/proto/health";
import { SchedulerService } from "@df/proto/scheduler/v2";
import { bindServer, stopServer } from "@df/proto/serve";
import type { Logger } from "@df/logger";

import type { SchedulerConfig } from "@df/cluster-config";

import type { SchedulerAppConfig } from "./config/schema";
import type { Host } from "./resource/host";
import { createResource } from "./resource/resource";
import { DecisionLog } from "./scheduling/decision-log";
import { RoundWaiters } from "./service/round-waiters";
import { createSchedulerRpcs } from "./service/rpcs";
import { createSeedPeerTrigger } from "./service/seed-peer";

/** SchedulerServer is the scheduler's composition root: build, serve, stop in reverse order. */
export interface SchedulerServer {
  /** serve binds the gRPC server and resolves with the bound port. */
  serve(): Promise<{ port: number }>;
  /** stop drains gRPC calls up to a deadline, then forces them closed. */
  stop(): Promise<void>;
  /** applyConfig applies a cluster scheduler config at once (pushed by the manager). */
  applyConfig(config: SchedulerConfig): void;
  /** currentConfig is the scheduler config in force. */
  currentConfig(): SchedulerConfig;
  /** hosts lists the hosts that announced themselves (the job worker's targets). */
  hosts(): Host[];
}

/** createSchedulerServer wires the scheduler's subsystems from its config. */
export function createSchedulerServer(config: SchedulerAppConfig, log: Logger): SchedulerServer {
  const server = new grpc.Server({ "grpc.keepalive_permit_without_calls": 1 });
  const health = addHealthService(server);
  let dynamic: SchedulerConfig = config.scheduling;
  const resource = createResource(config.gc);
  const seeds = createSeedPeerTrigger(
    (now) => resource.hosts.seeds().filter((h) => !h.isIsolated(now)),
    log,
  );
  server.addService(
    SchedulerService,
    createSchedulerRpcs({
      resource,
      decisions: new DecisionLog(),
      waiters: new RoundWaiters(),
      config: () => dynamic,
      seeds,
      log,
      now: Date.now,
    }),
  );
  const gc = setInterval(() => {
    const removed = resource.runGC(Date.now());
    if (removed.hosts.length + removed.peers.length + removed.tasks.length > 0) {
      log.info("gc removed resources", {
        hosts: removed.hosts.length,
        peers: removed.peers.length,
        tasks: removed.tasks.length,
      });
    }
  }, config.gc.intervalSeconds * 1000);
  gc.unref();

  return {
    applyConfig(next) {
      dynamic = next;
      log.info("scheduler config applied", { candidate_parent_limit: next.candidate_parent_limit });
    },
    currentConfig: () => dynamic,
    hosts: () => resource.hosts.values(),
    async serve() {
      const port = await bindServer(server, `${config.server.listenIp}:${config.server.port}`);
      health.setStatus("", "SERVING");
      health.setStatus("scheduler.v2.Scheduler", "SERVING");
      log.info("scheduler listening", {
        grpc: `${config.server.listenIp}:${port}`,
        advertise: config.server.advertiseIp,
      });
      return { port };
    },
    async stop() {
      clearInterval(gc);
      seeds.close();
      health.shutdown();
      await stopServer(server);
      log.info("scheduler stopped");
    },
  };
}
