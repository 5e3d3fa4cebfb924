import { DfError, ErrorCode } from "@df/errors";

/**
 * JobRateLimiter is one token bucket per scheduler cluster: `rate` job creations per second with
 * a burst of `rate`. The rate is read from the cluster's `job_rate_limit` on every call, so a
 * saved change applies at once.
 */
export class JobRateLimiter {
  private readonly buckets = new Map<number, { tokens: number; at: number }>();

  /**
   * take spends one token of every named cluster, or none when any bucket is empty; then it
   * throws RateLimited ("rate limit exceeded", HTTP 429) with the seconds to wait.
   */
  take(clusters: ReadonlyArray<{ id: number; rate: number }>, now = Date.now()): void {
    const refilled = clusters.map((c) => {
      const b = this.buckets.get(c.id) ?? { tokens: c.rate, at: now };
      const tokens = Math.min(c.rate, b.tokens + ((now - b.at) / 1000) * c.rate);
      return { ...c, tokens };
    });
    const empty = refilled.find((c) => c.tokens < 1);
    if (empty) {
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - empty.tokens) / empty.rate));
      throw new DfError(ErrorCode.RateLimited, "rate limit exceeded", {
        schedulerClusterId: empty.id,
        retryAfterSeconds,
      });
    }
    for (const c of refilled) this.buckets.set(c.id, { tokens: c.tokens - 1, at: now });
  }
}
