import type { Peer } from "../resource/peer";
import { decideRetry, findCandidateParents } from "../scheduling/scheduling";
import type { Decision } from "../scheduling/decision";
import type { SchedulerContext } from "./context";

/** RoundOutcome is what the session must tell the peer after a scheduling round. */
export type RoundOutcome =
  | { kind: "parents"; parents: Peer[] }
  | { kind: "retry"; delayMs: number }
  | { kind: "back_to_source"; reason: string }
  | { kind: "fail"; reason: string };

/**
 * scheduleRound finds parents for the peer, attaches them in the task's DAG and records the
 * decision. Without parents it applies the retry rules; `waitingForSeed` holds those rules off
 * (a retry that does not count) while a triggered seed peer is still starting.
 */
export function scheduleRound(
  ctx: SchedulerContext,
  peer: Peer,
  waitingForSeed: boolean,
): RoundOutcome {
  const config = ctx.config();
  const now = ctx.now();
  const { decision, parents } = findCandidateParents(peer, config, { now });
  const record = (d: Decision) => ctx.decisions.record(d);
  if (parents.length === 0 && waitingForSeed) {
    record({ ...decision, description: `${decision.description}; waiting for the seed peer` });
    return { kind: "retry", delayMs: config.retry_interval_ms };
  }
  const retry = decideRetry(peer, config, parents.length > 0);
  peer.scheduleAttempts = retry.attempts;
  switch (retry.kind) {
    case "send_parents": {
      const added = new Set(
        peer.task.addParents(
          peer.id,
          parents.map((p) => p.id),
        ),
      );
      record(decision);
      return { kind: "parents", parents: parents.filter((p) => added.has(p.id)) };
    }
    case "retry":
      record(decision);
      return { kind: "retry", delayMs: retry.delayMs };
    case "back_to_source":
      record({ ...decision, outcome: "back_to_source", description: retry.reason });
      return { kind: "back_to_source", reason: retry.reason };
    case "fail":
      record({ ...decision, outcome: "failed", description: retry.reason });
      return { kind: "fail", reason: retry.reason };
  }
}
