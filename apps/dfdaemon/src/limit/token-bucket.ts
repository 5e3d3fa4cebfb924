import { Transform, type TransformCallback } from "node:stream";

/** BURST_SECONDS is how much of a second's allowance may pass at once after an idle spell. */
export const BURST_SECONDS = 0.1;

/**
 * TokenBucket limits a byte rate shared by every task of the host. It refills at `rate` bytes
 * per second and holds at most a tenth of that: like a link paced at the rate, a host that was
 * idle cannot then send a whole second's worth at once (which would let a limited peer briefly
 * run at twice its limit). A rate of 0 means unlimited. Callers may take
 * more than is available: the bucket goes into debt and later callers wait it off, so large
 * chunks are never starved. The rate can change at run time (config pushed by the manager).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private rate: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = rate * BURST_SECONDS;
    this.last = now();
  }

  /** setRate changes the rate at once; 0 disables limiting. */
  setRate(rate: number): void {
    this.refill();
    this.rate = rate;
    this.tokens = Math.min(this.tokens, rate * BURST_SECONDS);
  }

  /** currentRate is the configured bytes per second (0 = unlimited). */
  get currentRate(): number {
    return this.rate;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(
      this.rate * BURST_SECONDS,
      this.tokens + ((t - this.last) / 1000) * this.rate,
    );
    this.last = t;
  }

  /** delayFor takes `n` tokens and returns how many ms the caller must wait before using them. */
  delayFor(n: number): number {
    if (this.rate <= 0) return 0;
    this.refill();
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.rate) * 1000;
  }

  /** acquire waits until `n` bytes may pass. */
  async acquire(n: number): Promise<void> {
    const ms = this.delayFor(n);
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }
}

/**
 * throttleStages returns the throttle stage for a transfer, or none when every bucket is unlimited
 * right now (each stage costs a hop per chunk on the hot path).
 */
export function throttleStages(buckets: readonly TokenBucket[]): Transform[] {
  return buckets.some((b) => b.currentRate > 0) ? [throttle(buckets)] : [];
}

/** throttle returns a pass-through stream that holds each chunk until every bucket allows it. */
export function throttle(buckets: readonly TokenBucket[]): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      const ms = Math.max(0, ...buckets.map((b) => b.delayFor(chunk.length)));
      if (ms <= 0) done(null, chunk);
      else setTimeout(() => done(null, chunk), ms);
    },
  });
}
