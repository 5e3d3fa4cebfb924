import { isDfError } from "@df/errors";

/** RetryOptions are the attempt count and the first backoff, doubled after each failure. */
export interface RetryOptions {
  attempts: number;
  backoffMs: number;
  signal?: AbortSignal | undefined;
}

/** DEFAULT_RETRY tries a piece 4 times, waiting 200, 400 and 800 ms between tries. */
export const DEFAULT_RETRY: RetryOptions = { attempts: 4, backoffMs: 200 };

/** isRetryable is false for answers that will not change: a 4xx from the source, bad input. */
export function isRetryable(err: unknown): boolean {
  if (!isDfError(err)) return true;
  const status = err.details.statusCode;
  if (typeof status === "number") return status >= 500 || status === 408 || status === 429;
  return err.code !== "DF_ERR_INVALID_ARGUMENT" && err.code !== "DF_ERR_TIMEOUT";
}

/** withRetry runs `fn` until it succeeds, fails for good, or the attempts run out. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  opts: RetryOptions = DEFAULT_RETRY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= opts.attempts || !isRetryable(err) || opts.signal?.aborted) throw err;
      await new Promise((r) => setTimeout(r, opts.backoffMs * 2 ** (attempt - 1)));
    }
  }
}
