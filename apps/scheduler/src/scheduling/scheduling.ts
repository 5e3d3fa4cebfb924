import type { SchedulerConfig } from "@df/cluster-config";

import { PeerState } from "../resource/lifecycle";
import type { Peer } from "../resource/peer";
import type { Decision } from "./decision";
import { evaluateParents } from "./evaluator";
import type { Sampler } from "./filter";
import { filterCandidateParents } from "./filter";

export type { ChosenParent, Decision, DecisionOutcome, RejectedParent } from "./decision";
export { DecisionLog } from "./decision-log";
export { decideRetry } from "./retry";
export type { RetryDecision } from "./retry";
export { decideSeedTrigger } from "./seed-trigger";
export type { SeedTriggerDecision } from "./seed-trigger";

/** SCHEDULABLE_STATES are the child states in which parents may be searched. */
export const SCHEDULABLE_STATES: readonly PeerState[] = [
  PeerState.ReceivedNormal,
  PeerState.Running,
];

/** SchedulingDeps inject time and randomness so decisions are reproducible in tests. */
export interface SchedulingDeps {
  now: number;
  sample?: Sampler;
}

/** CandidateParents is a decision plus the chosen parent peers, best first. */
export interface CandidateParents {
  decision: Decision;
  parents: Peer[];
}

/**
 * findCandidateParents runs filter -> evaluate -> trim to `candidate_parent_limit` for the child.
 * It changes nothing: the caller adds the edges (Task.replaceParents) and records the decision.
 */
export function findCandidateParents(
  child: Peer,
  config: SchedulerConfig,
  deps: SchedulingDeps,
): CandidateParents {
  const base = {
    taskId: child.task.id,
    peerId: child.id,
    hostId: child.host.id,
    at: deps.now,
    attempt: child.scheduleAttempts,
  };
  if (!child.fsm.is(...SCHEDULABLE_STATES)) {
    const description = `peer in state ${child.state} cannot be scheduled`;
    const decision: Decision = {
      ...base,
      outcome: "no_parent",
      description,
      chosen: [],
      rejected: [],
    };
    return { decision, parents: [] };
  }
  const { kept, rejected } = filterCandidateParents(child, config, deps);
  const best = evaluateParents(child, kept, config).slice(0, config.candidate_parent_limit);
  const decision: Decision = {
    ...base,
    outcome: best.length > 0 ? "candidate_parents" : "no_parent",
    description:
      best.length > 0
        ? `${best.length} of ${kept.length} candidates chosen`
        : `no candidate among ${rejected.length} sampled peers`,
    chosen: best.map((s) => ({
      peerId: s.peer.id,
      hostId: s.peer.host.id,
      score: s.score,
      breakdown: s.breakdown,
    })),
    rejected: rejected.map((r) => ({
      peerId: r.peer.id,
      hostId: r.peer.host.id,
      reason: r.reason,
    })),
  };
  return { decision, parents: best.map((s) => s.peer) };
}
