/**
 * SigninThrottle slows password guessing: after `freeAttempts` failures for one key (user name and
 * client address) within `windowMs`, further attempts are refused for a lockout that doubles with
 * each extra failure, capped at `maxLockoutMs`. Pure and clock-injected, so it is unit-tested.
 */
export interface SigninThrottleOptions {
  freeAttempts: number;
  windowMs: number;
  baseLockoutMs: number;
  maxLockoutMs: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  firstAt: number;
  lockedUntil: number;
}

/** DEFAULT_THROTTLE allows 5 failures per 15 minutes, then locks 30 s doubling up to 15 minutes. */
export const DEFAULT_THROTTLE: SigninThrottleOptions = {
  freeAttempts: 5,
  windowMs: 15 * 60_000,
  baseLockoutMs: 30_000,
  maxLockoutMs: 15 * 60_000,
};

/** SigninThrottle tracks failures per key. */
export class SigninThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly opts: SigninThrottleOptions = DEFAULT_THROTTLE) {
    this.now = opts.now ?? Date.now;
  }

  /** retryAfterMs is 0 when the key may try now, else how long it must wait. */
  retryAfterMs(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    return Math.max(0, e.lockedUntil - this.now());
  }

  /** fail records a failed attempt. */
  fail(key: string): void {
    const now = this.now();
    let e = this.entries.get(key);
    if (!e || now - e.firstAt > this.opts.windowMs) {
      e = { failures: 0, firstAt: now, lockedUntil: 0 };
      this.entries.set(key, e);
    }
    e.failures++;
    const over = e.failures - this.opts.freeAttempts;
    if (over >= 0)
      e.lockedUntil = now + Math.min(this.opts.baseLockoutMs * 2 ** over, this.opts.maxLockoutMs);
  }

  /** succeed forgets the key's failures. */
  succeed(key: string): void {
    this.entries.delete(key);
  }
}
