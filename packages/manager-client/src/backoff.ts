/** BACKOFF_INITIAL_MS is the first reconnect delay after the manager link breaks. */
export const BACKOFF_INITIAL_MS = 200;

/** BACKOFF_MAX_MS caps the reconnect delay while the manager stays unreachable. */
export const BACKOFF_MAX_MS = 5_000;

/**
 * Backoff yields capped exponential reconnect delays with "equal jitter": attempt n waits a
 * random time in [d/2, d] where d = min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS · 2^n), so components
 * that lost the same manager do not reconnect in lockstep.
 */
export class Backoff {
  private attempt = 0;

  /** next returns the delay before the next attempt and grows the following one. */
  next(random: () => number = Math.random): number {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  /** reset starts over from BACKOFF_INITIAL_MS once a link was established. */
  reset(): void {
    this.attempt = 0;
  }
}
