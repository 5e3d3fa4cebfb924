/**
 * The dfdaemon's link to the manager: learn the schedulers to use, apply every client config the
 * manager pushes and, for a seed peer, register and keep alive — without ever letting a manager
 * outage stop the daemon.
 */
import type { ClientConfig } from "@df/cluster-config";
import type { Logger } from "@df/logger";

import type { DfdaemonConfig } from "../config/schema";
import { DaemonSync } from "./config-sync";
import { dynconfigPath } from "./dynconfig-file";
import { runReconnecting } from "@df/manager-client";
import { daemonSession } from "./session";

/** ManagerLinkOptions are what the link needs from the daemon. */
export interface ManagerLinkOptions {
  config: DfdaemonConfig;
  log: Logger;
  /** hostId is the daemon's host id, bound to the link's log lines. */
  hostId: string;
  /** apply puts a cluster client config in force at once. */
  apply: (config: ClientConfig, revision: number) => void;
  /** setSchedulers replaces the schedulers (`ip:port`) the daemon may use. */
  setSchedulers: (addrs: string[]) => void;
}

/** ManagerLink is a running link; stop ends its streams. */
export interface ManagerLink {
  stop(): Promise<void>;
}

/**
 * startManagerLink restores `<storage.dataDir>/dynconfig.json` (client config and schedulers),
 * then runs daemonSession in the background, again after every break. Without `manager.addr` it
 * only sets `scheduler.addrs`.
 */
export function startManagerLink(opts: ManagerLinkOptions): ManagerLink {
  const { config, setSchedulers } = opts;
  if (!config.manager.addr) {
    setSchedulers([...config.scheduler.addrs]);
    return { stop: () => Promise.resolve() };
  }
  const sync = new DaemonSync({
    path: dynconfigPath(config.storage.dataDir),
    log: opts.log,
    fallback: config.scheduler.addrs,
    apply: opts.apply,
    setSchedulers,
  });
  sync.restore();
  const log = opts.log.with({ manager: config.manager.addr, host: opts.hostId.slice(0, 12) });
  const ctx = { config, log, sync };
  const loop = runReconnecting(log, (signal, established) =>
    daemonSession(ctx, signal, established),
  );
  return { stop: () => loop.stop() };
}
