/**
 * The scheduler's job worker: it holds SubscribeJobs to the manager (reconnecting with backoff,
 * like the manager link) and runs preheat, get_task and delete_task jobs on the hosts this
 * scheduler knows, reporting progress and results with ReportJobResult.
 */
import type { Logger } from "@df/logger";
import { createManagerClient, runReconnecting, unary } from "@df/manager-client";

import type { SchedulerAppConfig } from "../config/schema";
import type { Host } from "../resource/host";
import { UploadClients } from "./download";
import type { JobEnv } from "./env";
import { JobRunner } from "./runner";
import { jobSession } from "./session";

/** JobWorkerOptions are what the worker needs from the scheduler. */
export interface JobWorkerOptions {
  config: SchedulerAppConfig;
  log: Logger;
  /** hosts lists the hosts that announced themselves to this scheduler. */
  hosts: () => Host[];
}

/** JobWorker is a running worker. */
export interface JobWorker {
  /** stop aborts running jobs and ends the subscription (the manager moves unfinished parts). */
  stop(): Promise<void>;
}

/** startJobWorker starts the worker; without `manager.addr` it does nothing. */
export function startJobWorker({ config, log, hosts }: JobWorkerOptions): JobWorker {
  if (!config.manager.addr) return { stop: () => Promise.resolve() };
  const jobLog = log.with({ link: "jobs" });
  const clients = new UploadClients();
  const reports = createManagerClient(config.manager.addr);
  const env: JobEnv = {
    hostname: config.host.hostname,
    advertiseIp: config.server.advertiseIp,
    clusterId: config.manager.schedulerClusterId,
    hosts,
    clients,
    log: jobLog,
  };
  const runner = new JobRunner(env, (req) =>
    unary(reports.reportJobResult.bind(reports), req).then(() => undefined),
  );
  const loop = runReconnecting(jobLog, (signal, established) =>
    jobSession({ config, log: jobLog, runner }, signal, established),
  );
  return {
    async stop() {
      runner.stop();
      await loop.stop();
      reports.close();
      clients.close();
    },
  };
}
