import type { Logger } from "@df/logger";
import { fromGrpcError } from "@df/proto/status";

import { Backoff } from "./backoff";

/**
 * LinkSession runs one connection to the manager until it breaks: it resolves or rejects when
 * the link is lost, and resolves soon after `signal` aborts. It calls `established` once it is
 * fully synced, which resets the reconnect backoff.
 */
export type LinkSession = (signal: AbortSignal, established: () => void) => Promise<void>;

/** Reconnecting is a running reconnect loop. */
export interface Reconnecting {
  /** stop aborts the current session and waits for the loop to end. */
  stop(): Promise<void>;
}

/** raceAbort waits until one of `links` settles (rejecting with its error) or `signal` aborts. */
export async function raceAbort(signal: AbortSignal, links: Array<Promise<void>>): Promise<void> {
  if (signal.aborted) return;
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([...links, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** sleep waits `ms`, or less when `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * runReconnecting runs `session` again and again until stopped, waiting a jittered, capped
 * exponential backoff between attempts. A session failure is logged, never thrown: the process
 * keeps serving on its last configuration while the manager is away.
 */
export function runReconnecting(log: Logger, session: LinkSession): Reconnecting {
  const abort = new AbortController();
  const backoff = new Backoff();
  const loop = (async () => {
    let lost = 0;
    while (!abort.signal.aborted) {
      let reason = "stream ended by the manager";
      try {
        await session(abort.signal, () => {
          backoff.reset();
          if (lost > 0) log.info("manager link restored", { after_attempts: lost });
          lost = 0;
        });
      } catch (err) {
        reason = fromGrpcError(err).message;
      }
      if (abort.signal.aborted) break;
      const delay = backoff.next();
      lost += 1;
      // The first loss is a warning; repeated failures while the manager stays down are debug.
      const fields = { error: reason, retry_in_ms: delay, attempt: lost };
      if (lost === 1) log.warn("manager link lost, reconnecting", fields);
      else log.debug("manager still unreachable", fields);
      await sleep(delay, abort.signal);
    }
  })();
  return {
    async stop() {
      abort.abort();
      await loop;
    },
  };
}
