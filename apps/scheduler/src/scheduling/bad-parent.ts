import type { SchedulerConfig } from "@df/cluster-config";

import type { Peer } from "../resource/peer";
import { PIECE_COST_WINDOW } from "../resource/peer";

/** BadParentConfig is the part of the cluster config the bad-parent rules read. */
export type BadParentConfig = Pick<
  SchedulerConfig,
  | "bad_parent_cost_multiple"
  | "bad_parent_min_samples"
  | "host_isolation_failures"
  | "host_isolation_seconds"
>;

/** PIECE_FAILURES_BEFORE_BAD is how many failed pieces from one parent mark it bad for the child. */
export const PIECE_FAILURES_BEFORE_BAD = 3;

/** DIGEST_MISMATCH_FAILURE_WEIGHT is how many ordinary failures one corrupt piece counts as. */
export const DIGEST_MISMATCH_FAILURE_WEIGHT = 5;

/** SIGMA_MULTIPLE is how many standard deviations above the mean a cost may reach once sampled enough. */
export const SIGMA_MULTIPLE = 3;

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * isCostAnomalous judges the last of a parent's piece costs against the ones before it. With
 * fewer than two costs nothing can be said. Until `bad_parent_min_samples` costs exist, the last
 * may not exceed `bad_parent_cost_multiple` times the mean of the previous ones; from then on it
 * may not exceed their mean plus three population standard deviations. The sample threshold is
 * capped at the window a peer keeps, so the sigma rule can always take over.
 * Formula: bad = last > k·mean(prev) while n < minSamples, else last > mean(prev) + 3·σ(prev)
 */
export function isCostAnomalous(costs: readonly number[], config: BadParentConfig): boolean {
  const last = costs.at(-1);
  if (last === undefined || costs.length < 2) return false;
  const prev = costs.slice(0, -1);
  const m = mean(prev);
  if (costs.length < Math.min(config.bad_parent_min_samples, PIECE_COST_WINDOW)) {
    return last > config.bad_parent_cost_multiple * m;
  }
  const sigma = Math.sqrt(mean(prev.map((c) => (c - m) ** 2)));
  return last > m + SIGMA_MULTIPLE * sigma;
}

/** BadParentVerdict says whether a parent is bad for a child, and why. */
export type BadParentVerdict = "ok" | "marked" | "slow";

/** judgeParent tells whether the parent is bad for this child: marked by failures, or slow. */
export function judgeParent(
  child: Peer,
  parentId: string,
  config: BadParentConfig,
): BadParentVerdict {
  if (child.badParents.has(parentId)) return "marked";
  return isCostAnomalous(child.pieceCosts.get(parentId) ?? [], config) ? "slow" : "ok";
}

/** PieceFailure describes one piece a child failed to get from a parent. */
export interface PieceFailure {
  child: Peer;
  parent: Peer;
  /** digestMismatch is true when the parent sent bytes that did not match the piece digest. */
  digestMismatch?: boolean;
  now: number;
}

/** FailureOutcome tells what one failure changed, for logs and metrics. */
export interface FailureOutcome {
  markedBad: boolean;
  hostIsolated: boolean;
}

/**
 * recordPieceFailure accounts a failed piece. The parent becomes bad for this child after
 * PIECE_FAILURES_BEFORE_BAD failures, or at once on a digest mismatch. The parent's host collects
 * weighted failures (a mismatch weighs DIGEST_MISMATCH_FAILURE_WEIGHT) in a window of
 * `host_isolation_seconds`; reaching `host_isolation_failures` isolates the host for that long and
 * starts a fresh window.
 */
export function recordPieceFailure(f: PieceFailure, config: BadParentConfig): FailureOutcome {
  const { child, parent, now } = f;
  const count = (child.pieceFailures.get(parent.id) ?? 0) + 1;
  child.pieceFailures.set(parent.id, count);
  const markedBad = f.digestMismatch === true || count >= PIECE_FAILURES_BEFORE_BAD;
  if (markedBad) child.badParents.add(parent.id);

  const iso = parent.host.isolation;
  const windowMs = config.host_isolation_seconds * 1000;
  if (iso.windowStartedAt === 0 || now - iso.windowStartedAt > windowMs) {
    iso.windowStartedAt = now;
    iso.failures = 0;
  }
  const weight = f.digestMismatch === true ? DIGEST_MISMATCH_FAILURE_WEIGHT : 1;
  iso.failures += weight;
  iso.totalFailures += weight;
  const hostIsolated = iso.failures >= config.host_isolation_failures;
  if (hostIsolated) {
    iso.isolatedUntil = now + windowMs;
    iso.failures = 0;
    iso.windowStartedAt = 0;
  }
  return { markedBad, hostIsolated };
}
