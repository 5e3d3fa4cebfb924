import type { SchedulerConfig } from "@df/cluster-config";
import type { Logger } from "@df/logger";

import type { Resource } from "../resource/resource";
import type { DecisionLog } from "../scheduling/decision-log";
import type { RoundWaiters } from "./round-waiters";
import type { SeedPeerTrigger } from "./seed-peer";

/** SchedulerContext is what every RPC handler shares: resources, decisions, live config, seed peers. */
export interface SchedulerContext {
  resource: Resource;
  decisions: DecisionLog;
  /** config is read at each use, so a config pushed by the manager applies at once. */
  config: () => SchedulerConfig;
  seeds: SeedPeerTrigger;
  /** waiters are peers waiting for a parent, woken when another peer joins their task. */
  waiters: RoundWaiters;
  log: Logger;
  now: () => number;
}
