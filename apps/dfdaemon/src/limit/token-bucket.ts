import { Transform, type TransformCallback } from "node:stream";

/**
 * BURST_SECONDS is how much of a second's allowance may pass at once after an idle spell: one
 * second, as Dragonfly's own buckets (capacity = refill = the limit). The rate holds over any
 * long transfer; the burst is what lets a peer catch up. In a swarm every hop sends what it
 * receives at the same limit, so a hop that fell behind (a late piece, a busy CPU) can catch up
 * only by sending faster than the limit for a moment: with less than a piece of burst it never
 * does, and each hop's delay adds up down a line of peers (with 100 ms at 8 MiB/s and 1 MiB
 * pieces, 27 ms a hop: N = 32 took 1.34 times the lower bound instead of 1.1).
 */
export const BURST_SECONDS = 1;

/**
 * TokenBucket limits a byte rate shared by every task of the host. It refills at `rate` bytes
 * per second and holds at most `burstSeconds` of that (BURST_SECONDS; a model of a strict link,
 * such as a benchmark's origin, passes less). A rate of 0 means unlimited. Callers may take more
 * than is available: the bucket goes into debt and later callers wait it off, so large chunks
 * are never starved. The rate can change at run time (config pushed by the manager).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private rate: number,
    private readonly now: () => number = () => performance.now(),
    private readonly burstSeconds = BURST_SECONDS,
  ) {
    this.tokens = rate * burstSeconds;
    this.last = now();
  }

  /** setRate changes the rate at once; 0 disables limiting. */
  setRate(rate: number): void {
    this.refill();
    this.rate = rate;
    this.tokens = Math.min(this.tokens, rate * this.burstSeconds);
  }

  /** currentRate is the configured bytes per second (0 = unlimited). */
  get currentRate(): number {
    return this.rate;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(
      this.rate * this.burstSeconds,
      this.tokens + ((t - this.last) / 1000) * this.rate,
    );
    this.last = t;
  }

  /** delayFor takes `n` tokens and returns how many ms the caller must wait before using them. */
  delayFor(n: number): number {
    return this.reserve(n)(n);
  }

  /**
   * reserve takes `n` tokens at once, behind every earlier caller, and returns when each part of
   * them comes due: `wait(k)` is how many ms from now the first `k` of the `n` bytes must still
   * wait. A transfer reserved whole keeps its turn (pieces go out one after another, not all
   * slowly side by side) while its bytes go out in slices as they come due.
   */
  reserve(n: number): (k: number) => number {
    if (this.rate <= 0) return () => 0;
    this.refill();
    const before = this.tokens;
    const at = this.last;
    const rate = this.rate;
    this.tokens -= n;
    return (k) => Math.max(0, at + ((k - before) / rate) * 1000 - this.now());
  }
}

/**
 * PACE_SLICE is the most bytes that go out at once under a limit. A large chunk (a 1 MiB file
 * read, a whole piece) sent only once its whole allowance had come reached the next peer that
 * chunk's transfer time late, at every hop of a swarm (a line of 32 peers at 8 MiB/s lost 27 ms a
 * hop with 1 MiB pieces); in slices, its first bytes go at once and the rest follows at the rate.
 */
export const PACE_SLICE = 64 * 1024;

/**
 * reserveAll reserves `n` bytes on every bucket; the result gives how many ms the first `k` of
 * them must still wait (the longest of the buckets' waits).
 */
export function reserveAll(buckets: readonly TokenBucket[], n: number): (k: number) => number {
  const waits = buckets.map((b) => b.reserve(n));
  return (k) => Math.max(0, ...waits.map((w) => w(k)));
}

/**
 * throttleStages returns the throttle stage for a transfer, or none when every bucket is unlimited
 * right now (each stage costs a hop per chunk on the hot path).
 */
export function throttleStages(buckets: readonly TokenBucket[]): Transform[] {
  return buckets.some((b) => b.currentRate > 0) ? [throttle(buckets)] : [];
}

/**
 * throttle returns a pass-through stream that keeps to every bucket: each chunk is reserved whole
 * and passed on in slices of PACE_SLICE as they come due.
 */
export function throttle(buckets: readonly TokenBucket[]): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      const wait = reserveAll(buckets, chunk.length);
      let at = 0;
      const next = (): void => {
        while (at < chunk.length) {
          const end = Math.min(chunk.length, at + PACE_SLICE);
          const ms = wait(end);
          if (ms > 0) {
            setTimeout(next, ms);
            return;
          }
          this.push(chunk.subarray(at, end));
          at = end;
        }
        done();
      };
      next();
    },
  });
}
