import type { Logger } from "@df/logger";
import type { Job } from "@df/proto/manager/v2";
import { fromGrpcError } from "@df/proto/status";
import { createManagerClient, raceAbort } from "@df/manager-client";

import type { SchedulerAppConfig } from "../config/schema";
import type { JobRunner } from "./runner";

/** JobSessionContext is what every job session shares. */
export interface JobSessionContext {
  config: SchedulerAppConfig;
  log: Logger;
  runner: JobRunner;
}

/**
 * jobSession holds one SubscribeJobs stream until it breaks or `signal` aborts. Once the manager
 * answers the subscription, unsent results are delivered again; every job received is handed to
 * the runner, which ignores the ones it already runs.
 */
export async function jobSession(
  ctx: JobSessionContext,
  signal: AbortSignal,
  established: () => void,
): Promise<void> {
  const { config, log, runner } = ctx;
  const client = createManagerClient(config.manager.addr);
  try {
    const call = client.subscribeJobs({
      schedulerClusterId: config.manager.schedulerClusterId,
      hostname: config.host.hostname,
      ip: config.server.advertiseIp,
    });
    const done = new Promise<void>((resolve, reject) => {
      call.on("metadata", () => {
        established();
        log.info("subscribed to jobs", { cluster: config.manager.schedulerClusterId });
        runner.flush();
      });
      call.on("data", (job: Job) => runner.accept(job));
      // grpc-js emits "error" before "status" for a failed call, so the rejection wins.
      call.on("error", (err: Error) => reject(fromGrpcError(err)));
      call.on("status", () => resolve());
    });
    done.catch(() => undefined);
    try {
      await raceAbort(signal, [done]);
    } finally {
      call.cancel();
    }
  } finally {
    client.close();
  }
}
