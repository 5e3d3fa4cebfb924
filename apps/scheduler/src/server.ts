import * as grpc from "@grpc/grpc-js";

import { addHealthService } from "@df/proto/health";
import { bindServer, stopServer } from "@df/proto/serve";
import type { Logger } from "@df/logger";

import type { SchedulerConfig } from "@df/cluster-config";

import type { SchedulerAppConfig } from "./config/schema";

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
}

/** createSchedulerServer wires the scheduler's subsystems from its config. */
export function createSchedulerServer(config: SchedulerAppConfig, log: Logger): SchedulerServer {
  const server = new grpc.Server({ "grpc.keepalive_permit_without_calls": 1 });
  const health = addHealthService(server);
  let dynamic: SchedulerConfig = config.scheduling;

  return {
    applyConfig(next) {
      dynamic = next;
      log.info("scheduler config applied", { candidate_parent_limit: next.candidate_parent_limit });
    },
    currentConfig: () => dynamic,
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
      health.shutdown();
      await stopServer(server);
      log.info("scheduler stopped");
    },
  };
}
