import type { SchedulerConfig } from "@df/cluster-config";

import type { Peer } from "../resource/peer";

/** RETRY_JITTER is the ± share by which the retry interval is spread. */
export const RETRY_JITTER = 0.25;

/** RetryConfig is the part of the cluster config the retry rules read. */
export type RetryConfig = Pick<
  SchedulerConfig,
  "retry_limit" | "retry_back_to_source_limit" | "back_to_source_limit" | "retry_interval_ms"
>;

/**
 * RetryDecision is what to do after a scheduling round. `attempts` is the new count of rounds in
 * a row without a parent; the caller stores it on peer.scheduleAttempts.
 */
export type RetryDecision =
  | { kind: "send_parents"; attempts: 0 }
  | { kind: "back_to_source"; attempts: number; reason: string }
  | { kind: "fail"; attempts: number; reason: string }
  | { kind: "retry"; attempts: number; delayMs: number };

/**
 * decideRetry decides after a round. Parents found: send them. Otherwise, once `retry_limit`
 * rounds found none, the peer goes back to source if the task has origin capacity left under
 * `back_to_source_limit`; once `retry_back_to_source_limit` rounds found none, it fails; before
 * that it retries after `retry_interval_ms` spread by ±25 %.
 * Formula: delay = round(interval · (1 − 0.25 + 0.5·random())), random() in [0, 1)
 */
export function decideRetry(
  peer: Peer,
  config: RetryConfig,
  hasCandidates: boolean,
  deps: { random?: () => number } = {},
): RetryDecision {
  if (hasCandidates) return { kind: "send_parents", attempts: 0 };
  const attempts = peer.scheduleAttempts + 1;
  if (attempts >= config.retry_limit && peer.task.canBackToSource(config.back_to_source_limit)) {
    return { kind: "back_to_source", attempts, reason: `no parent after ${attempts} rounds` };
  }
  if (attempts >= config.retry_back_to_source_limit) {
    const reason = `no parent after ${attempts} rounds and back-to-source limit reached`;
    return { kind: "fail", attempts, reason };
  }
  const r = (deps.random ?? Math.random)();
  const delayMs = Math.round(config.retry_interval_ms * (1 - RETRY_JITTER + 2 * RETRY_JITTER * r));
  return { kind: "retry", attempts, delayMs };
}
