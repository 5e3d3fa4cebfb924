import type { SchedulerConfig } from "@df/cluster-config";

import { PeerState } from "../resource/lifecycle";
import type { Peer } from "../resource/peer";
import { SERVING_STATES } from "./filter";

/** SeedTriggerDecision is how a newly registered peer should get the content first. */
export type SeedTriggerDecision =
  | { kind: "schedule"; reason: string }
  | { kind: "trigger_seed_peer"; reason: string }
  | { kind: "back_to_source"; reason: string };

/** SEED_STARTING_STATES are seed peer states that mean a seed is about to serve the task. */
const SEED_STARTING_STATES: readonly PeerState[] = [
  PeerState.Pending,
  PeerState.ReceivedNormal,
  ...SERVING_STATES,
];

/**
 * decideSeedTrigger decides for a freshly registered peer. A peer that asked for the origin goes
 * there (capacity permitting). When another host's peer already holds or fetches the content, or a
 * seed peer is starting on it, the peer is scheduled as usual. Otherwise a normal peer triggers a
 * seed peer when one is available, or goes back to source itself; a seed host is always scheduled
 * (it registers with need_back_to_source when triggered).
 */
export function decideSeedTrigger(
  peer: Peer,
  config: Pick<SchedulerConfig, "back_to_source_limit">,
  deps: { seedPeerAvailable: boolean },
): SeedTriggerDecision {
  const task = peer.task;
  const canSource = task.canBackToSource(config.back_to_source_limit);
  if (peer.needBackToSource && canSource) {
    return { kind: "back_to_source", reason: "peer asked to download from the origin" };
  }
  if (peer.host.type === "seed") return { kind: "schedule", reason: "seed peer" };
  for (const other of task.peers.values()) {
    if (other.id === peer.id || other.host.id === peer.host.id) continue;
    if (other.fsm.is(...SERVING_STATES)) return { kind: "schedule", reason: "task has a source" };
    if (other.host.type === "seed" && other.fsm.is(...SEED_STARTING_STATES)) {
      return { kind: "schedule", reason: "seed peer starting" };
    }
  }
  if (deps.seedPeerAvailable) {
    return { kind: "trigger_seed_peer", reason: "first peer of the task and no seed holds it" };
  }
  if (canSource) return { kind: "back_to_source", reason: "no seed peer available" };
  return { kind: "schedule", reason: "back-to-source limit reached" };
}
