import type { Logger } from "@df/logger";
import { HostType } from "@df/proto/common/v2";
import {
  ComponentKind,
  SourceType,
  type ManagerClient,
  type Scheduler,
} from "@df/proto/manager/v2";

import type { DfdaemonConfig } from "../config/schema";
import {
  createManagerClient,
  unary,
  raceAbort,
  openKeepAlive,
  openWatch,
  type LinkStream,
} from "@df/manager-client";
import type { DaemonSync, ReportApplied } from "./config-sync";

/** SCHEDULERS_REFRESH_MS is how often the scheduler list is asked for while connected. */
export const SCHEDULERS_REFRESH_MS = 30_000;

/** KEEP_ALIVE_INTERVAL_SECONDS is a seed peer's heartbeat period towards the manager. */
export const KEEP_ALIVE_INTERVAL_SECONDS = 5;

/** SessionContext is what every session of the link shares. */
export interface SessionContext {
  config: DfdaemonConfig;
  log: Logger;
  sync: DaemonSync;
}

/** schedulerAddr renders a scheduler as `ip:port` (`[ip]:port` for IPv6). */
const schedulerAddr = (s: Scheduler): string =>
  s.ip.includes(":") ? `[${s.ip}]:${s.port}` : `${s.ip}:${s.port}`;

/** componentOf is how the daemon names itself in WatchConfig and ReportConfigApplied. */
const componentOf = (config: DfdaemonConfig): ComponentKind =>
  config.seedPeer.enable
    ? ComponentKind.COMPONENT_KIND_SEED_PEER
    : ComponentKind.COMPONENT_KIND_DFDAEMON;

/** reporter reports applied revisions through `client`; a failure is only logged. */
function reporter(client: ManagerClient, { config, log }: SessionContext): ReportApplied {
  return (update, error) =>
    unary(client.reportConfigApplied.bind(client), {
      hostname: config.host.hostname,
      ip: config.host.ip,
      component: componentOf(config),
      revision: update.revision,
      schedulerClusterId: update.schedulerClusterId,
      error,
    }).then(
      () => undefined,
      (err: unknown) =>
        log.warn("cannot report applied config", { revision: update.revision, error: String(err) }),
    );
}

/** listSchedulers hands the manager's active schedulers to `sync` and returns the matched cluster. */
async function listSchedulers(
  client: ManagerClient,
  { config, sync }: SessionContext,
  signal: AbortSignal,
): Promise<number> {
  const request = {
    hostname: config.host.hostname,
    ip: config.host.ip,
    idc: config.host.idc,
    location: config.host.location,
    hostType: config.seedPeer.enable ? HostType.HOST_TYPE_SEED : HostType.HOST_TYPE_NORMAL,
    version: "",
  };
  const res = await unary(client.listSchedulers.bind(client), request, signal);
  sync.learnSchedulers(res.schedulers.filter((s) => s.state === "active").map(schedulerAddr));
  return res.schedulerClusterId;
}

/** registerSeedPeer calls UpdateSeedPeer and opens the seed peer's KeepAlive stream. */
async function registerSeedPeer(
  client: ManagerClient,
  config: DfdaemonConfig,
  signal: AbortSignal,
): Promise<LinkStream> {
  const me = { hostname: config.host.hostname, ip: config.host.ip };
  const registration = {
    ...me,
    port: config.upload.port,
    downloadPort: config.upload.dataPort,
    proxyPort: config.proxy.port,
    idc: config.host.idc,
    location: config.host.location,
    seedPeerClusterId: config.seedPeer.seedPeerClusterId,
  };
  await unary(client.updateSeedPeer.bind(client), registration, signal);
  return openKeepAlive(client, {
    ...me,
    sourceType: SourceType.SEED_PEER_SOURCE,
    clusterId: config.seedPeer.seedPeerClusterId,
    intervalSeconds: KEEP_ALIVE_INTERVAL_SECONDS,
  });
}

/**
 * daemonSession is one connection to the manager: (seed peers) UpdateSeedPeer and KeepAlive,
 * ListSchedulers now and every SCHEDULERS_REFRESH_MS, and WatchConfig for the matched scheduler
 * cluster, until a stream breaks, the matched cluster changes, or `signal` aborts. Each session
 * dials a fresh channel, so a restarted manager is reached on the link's own backoff.
 */
export async function daemonSession(
  ctx: SessionContext,
  signal: AbortSignal,
  established: () => void,
): Promise<void> {
  const { config, log, sync } = ctx;
  const client = createManagerClient(config.manager.addr);
  const streams: LinkStream[] = [];
  let refresh: NodeJS.Timeout | undefined;
  try {
    if (config.seedPeer.enable) streams.push(await registerSeedPeer(client, config, signal));
    const clusterId = await listSchedulers(client, ctx, signal);
    const report = reporter(client, ctx);
    let synced = false;
    const watchRequest = {
      hostname: config.host.hostname,
      ip: config.host.ip,
      component: componentOf(config),
      schedulerClusterId: clusterId,
      revision: sync.revision(),
    };
    const watch = openWatch(client, watchRequest, (update) => {
      sync.push(update, report);
      if (synced) return;
      synced = true;
      established();
      log.info("manager link established", { cluster: clusterId, revision: update.revision });
    });
    streams.push(watch);
    // A refresh that lands on another cluster ends the session: the next one watches that cluster.
    let moved = () => {};
    const clusterMoved = new Promise<void>((resolve) => (moved = resolve));
    refresh = setInterval(() => {
      listSchedulers(client, ctx, signal).then(
        (id) => {
          if (id === clusterId) return;
          log.info("scheduler cluster changed", { from: clusterId, to: id });
          moved();
        },
        (err: unknown) =>
          log.warn("cannot list schedulers, keeping the known list", { error: String(err) }),
      );
    }, SCHEDULERS_REFRESH_MS);
    await raceAbort(signal, [clusterMoved, ...streams.map((s) => s.done)]);
  } finally {
    clearInterval(refresh);
    await Promise.all(streams.map((s) => s.close()));
    client.close();
  }
}
