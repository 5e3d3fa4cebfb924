import type { ScoreBreakdown } from "./evaluator";
import type { RejectReason } from "./filter";

/** DecisionOutcome is what the scheduler answered; mirrors scheduler.v2 DecisionOutcome. */
export type DecisionOutcome =
  "candidate_parents" | "no_parent" | "back_to_source" | "empty_task" | "failed";

/** ChosenParent is a parent sent to the peer, with its score. */
export interface ChosenParent {
  peerId: string;
  hostId: string;
  score: number;
  breakdown: ScoreBreakdown;
}

/** RejectedParent is a sampled peer the filter dropped, with the reason. */
export interface RejectedParent {
  peerId: string;
  hostId: string;
  reason: RejectReason;
}

/** Decision is one recorded scheduling round for a peer, plain data for logs and the console. */
export interface Decision {
  taskId: string;
  peerId: string;
  hostId: string;
  /** at is when the decision was made, in epoch milliseconds. */
  at: number;
  /** attempt is the number of earlier rounds in a row that found no parent. */
  attempt: number;
  outcome: DecisionOutcome;
  /** description is a human-readable summary, e.g. the back-to-source reason. */
  description: string;
  chosen: ChosenParent[];
  rejected: RejectedParent[];
}
