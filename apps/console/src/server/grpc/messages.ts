import type { ConfigUpdate, Scheduler, SeedPeer } from "@df/proto/manager/v2";

import type { ConfigSnapshot } from "../services/config-bus";
import type { SchedulerRow } from "../services/schedulers";
import type { SeedPeerRow } from "../services/seed-peers";

/** EMPTY is google.protobuf.Empty. */
export const EMPTY: Record<string, never> = {};

/** schedulerMessage renders a scheduler row as manager.v2.Scheduler. */
export const schedulerMessage = (s: SchedulerRow): Scheduler => ({
  id: s.id,
  hostname: s.hostname,
  ip: s.ip,
  port: s.port,
  idc: s.idc,
  location: s.location,
  state: s.state,
  schedulerClusterId: s.schedulerClusterId,
  features: s.features,
  lastKeepAliveAt: s.lastKeepAliveAt ?? undefined,
});

/** seedPeerMessage renders a seed peer row as manager.v2.SeedPeer. */
export const seedPeerMessage = (p: SeedPeerRow): SeedPeer => ({
  id: p.id,
  hostname: p.hostname,
  ip: p.ip,
  port: p.port,
  downloadPort: p.downloadPort,
  proxyPort: p.proxyPort,
  idc: p.idc,
  location: p.location,
  state: p.state,
  seedPeerClusterId: p.seedPeerClusterId,
});

/** configUpdateOf renders a config snapshot as manager.v2.ConfigUpdate. */
export const configUpdateOf = (s: ConfigSnapshot): ConfigUpdate => ({
  schedulerClusterId: s.schedulerClusterId,
  revision: s.revision,
  schedulerConfigJson: JSON.stringify(s.config),
  clientConfigJson: JSON.stringify(s.clientConfig),
  updatedAt: s.updatedAt,
});
