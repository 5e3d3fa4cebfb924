import type { Logger } from "@df/logger";
import { ComponentKind, SourceType, type ManagerClient } from "@df/proto/manager/v2";

import type { SchedulerAppConfig } from "../config/schema";
import {
  createManagerClient,
  unary,
  raceAbort,
  openKeepAlive,
  openWatch,
} from "@df/manager-client";
import type { ConfigSync, ReportApplied } from "./config-sync";

/** FEATURES are what this scheduler offers the manager: scheduling and preheat jobs. */
export const FEATURES = ["schedule", "preheat"];

/** SessionContext is what every session of the link shares. */
export interface SessionContext {
  config: SchedulerAppConfig;
  log: Logger;
  sync: ConfigSync;
}

/** reporter reports applied revisions through `client`; a failure is only logged. */
function reporter(client: ManagerClient, ctx: SessionContext): ReportApplied {
  return (update, error) =>
    unary(client.reportConfigApplied.bind(client), {
      hostname: ctx.config.host.hostname,
      ip: ctx.config.server.advertiseIp,
      component: ComponentKind.COMPONENT_KIND_SCHEDULER,
      revision: update.revision,
      schedulerClusterId: update.schedulerClusterId,
      error,
    }).then(
      () => undefined,
      (err: unknown) =>
        ctx.log.warn("cannot report applied config", {
          revision: update.revision,
          error: String(err),
        }),
    );
}

/**
 * schedulerSession is one connection to the manager: UpdateScheduler, then KeepAlive and
 * WatchConfig until either breaks or `signal` aborts. Each session dials a fresh channel, so a
 * restarted manager is reached on the link's own backoff, not on grpc-js's reconnect timer.
 */
export async function schedulerSession(
  ctx: SessionContext,
  signal: AbortSignal,
  established: () => void,
): Promise<void> {
  const { config, log, sync } = ctx;
  const { addr, schedulerClusterId, keepAliveIntervalSeconds } = config.manager;
  const me = { hostname: config.host.hostname, ip: config.server.advertiseIp };
  const client = createManagerClient(addr);
  try {
    const registration = {
      ...me,
      port: config.server.port,
      idc: config.host.idc,
      location: config.host.location,
      schedulerClusterId,
      features: FEATURES,
      version: "",
    };
    const registered = await unary(client.updateScheduler.bind(client), registration, signal);
    const keepAlive = openKeepAlive(client, {
      ...me,
      sourceType: SourceType.SCHEDULER_SOURCE,
      clusterId: schedulerClusterId,
      intervalSeconds: keepAliveIntervalSeconds,
    });
    const report = reporter(client, ctx);
    let synced = false;
    const watchRequest = {
      ...me,
      component: ComponentKind.COMPONENT_KIND_SCHEDULER,
      schedulerClusterId,
      revision: sync.revision(),
    };
    const watch = openWatch(client, watchRequest, (update) => {
      sync.push(update, report);
      if (synced) return;
      synced = true;
      established();
      log.info("manager link established", { id: registered.id, revision: update.revision });
    });
    try {
      await raceAbort(signal, [keepAlive.done, watch.done]);
    } finally {
      await Promise.all([keepAlive.close(), watch.close()]);
    }
  } finally {
    client.close();
  }
}
