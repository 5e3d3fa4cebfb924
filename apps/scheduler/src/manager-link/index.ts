/**
 * The scheduler's link to the manager: register, keep alive, and apply every cluster config the
 * manager pushes, without ever letting a manager outage stop the scheduler.
 */
import type { SchedulerConfig } from "@df/cluster-config";
import type { Logger } from "@df/logger";

import type { SchedulerAppConfig } from "../config/schema";
import { ConfigSync } from "./config-sync";
import { dynconfigPath } from "./dynconfig-file";
import { runReconnecting } from "@df/manager-client";
import { schedulerSession } from "./session";

/** ManagerLinkOptions are what the link needs from the scheduler. */
export interface ManagerLinkOptions {
  config: SchedulerAppConfig;
  log: Logger;
  /** apply puts a cluster scheduler config in force at once. */
  apply: (config: SchedulerConfig, revision: number) => void;
}

/** ManagerLink is a running link; stop ends its streams (the manager marks the scheduler inactive). */
export interface ManagerLink {
  stop(): Promise<void>;
}

/**
 * startManagerLink restores the config kept in `<dataDir>/dynconfig.json`, then, in the
 * background and again after every break: UpdateScheduler, KeepAlive every
 * `manager.keepAliveIntervalSeconds`, and WatchConfig, whose first message resyncs the config.
 * Without `manager.addr` it does nothing: the scheduler runs on `scheduling` alone.
 */
export function startManagerLink({ config, log, apply }: ManagerLinkOptions): ManagerLink {
  if (!config.manager.addr) return { stop: () => Promise.resolve() };
  const sync = new ConfigSync(dynconfigPath(config.dataDir), log, apply);
  sync.restore();
  const ctx = { config, log: log.with({ manager: config.manager.addr }), sync };
  const loop = runReconnecting(ctx.log, (signal, established) =>
    schedulerSession(ctx, signal, established),
  );
  return { stop: () => loop.stop() };
}
