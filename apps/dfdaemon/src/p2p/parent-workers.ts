import { DfError, ErrorCode, isDfError } from "@df/errors";
import { PieceFailureReason } from "@df/proto/scheduler/v2";

import type { PieceClaims } from "../download/claims";
import type { HostLimiters } from "../limit/host-limiters";
import type { StoredTask } from "../storage/stored-task";
import type { PieceMeta } from "../storage/types";
import type { PieceSpan } from "../task/pieces";
import { fetchPieceFromParent, isPending } from "./parent-fetch";
import type { ParentState, PieceCollector } from "./piece-collector";

/** FAILURES_BEFORE_DROP is how many failed pieces make the child stop using a parent. */
const FAILURES_BEFORE_DROP = 3;
/** RESCHEDULE_AFTER_MS asks for new parents when nothing could be fetched for this long. */
const RESCHEDULE_AFTER_MS = 3_000;
/** REFRESH_EVERY_MS asks the scheduler for more parents when nothing arrived for this long. */
const REFRESH_EVERY_MS = 1_500;
/** REFRESH_PARENTS matches the scheduler's refresh request description. */
const REFRESH_PARENTS = "refresh parents";
/** EARLY_WAIT_MS is how long a parent may hold a piece request before it has the piece. */
export const EARLY_WAIT_MS = 2_000;
/** WAIT_SLICE_MS bounds each wait for news from parents (a followed parent may stall meanwhile). */
const WAIT_SLICE_MS = 100;

/** WorkerSession is what the workers report to (the AnnouncePeer session). */
export interface WorkerSession {
  readonly active: boolean;
  reportPiece(piece: PieceMeta, costMs: number): void;
  reportPieceFailure(
    n: number,
    parentId: string,
    reason: PieceFailureReason,
    description: string,
  ): void;
  reschedule(dropped: string[], description: string): void;
}

function failureReason(err: unknown): PieceFailureReason {
  if (!isDfError(err)) return PieceFailureReason.PIECE_FAILURE_REASON_CONNECTION;
  switch (err.code) {
    case ErrorCode.DigestMismatch:
      return PieceFailureReason.PIECE_FAILURE_REASON_DIGEST_MISMATCH;
    case ErrorCode.NotFound:
      return PieceFailureReason.PIECE_FAILURE_REASON_NOT_FOUND;
    case ErrorCode.RateLimited:
      return PieceFailureReason.PIECE_FAILURE_REASON_PARENT_BUSY;
    case ErrorCode.Timeout:
      return PieceFailureReason.PIECE_FAILURE_REASON_TIMEOUT;
    default:
      return PieceFailureReason.PIECE_FAILURE_REASON_CONNECTION;
  }
}

/**
 * runParentWorkers downloads the wanted pieces from parents, up to `concurrency` at a time, lowest
 * piece first; each piece goes to the parent PieceCollector.bestParentFor picks (the best-ranked
 * parent that has it or is about to). A digest mismatch drops the parent at once; repeated
 * failures drop it too. With no usable parent, or no progress for a while, the scheduler is asked
 * for new parents. Returns when every wanted piece is stored or the session stops.
 */
export async function runParentWorkers(
  session: WorkerSession,
  task: StoredTask,
  wanted: readonly PieceSpan[],
  collector: PieceCollector,
  deps: { claims: PieceClaims; limiters: HostLimiters; concurrency: number },
): Promise<void> {
  const missing = new Map(
    wanted.filter((p) => !task.pieces.has(p.number)).map((p) => [p.number, p]),
  );
  const running = new Map<number, Promise<void>>();
  const dropped = new Set<string>();
  let lastProgress = Date.now();
  let lastReschedule = 0;
  let lastRefresh = Date.now();
  // A wake-up that lands while the loop is busy is remembered, so the next wait returns at once.
  let woken = false;
  let wake: () => void = () => {
    woken = true;
  };
  const onChange = () => wake();
  collector.on("change", onChange);

  const fetchOne = async (span: PieceSpan, parent: ParentState, early: boolean) => {
    parent.inflight++;
    if (early) parent.early.add(span.number);
    const started = Date.now();
    try {
      const { piece, fetched } = await deps.claims.claim(task, span, async () => {
        // Children asking for this piece meanwhile are sent its bytes as they arrive.
        const inflight = task.receiving(span);
        try {
          const w = await fetchPieceFromParent(
            parent,
            task.meta.id,
            task.contentPath,
            span,
            parent.pieces.get(span.number) ?? "",
            deps.limiters,
            early ? EARLY_WAIT_MS : 0,
            inflight.piece,
          );
          return { ...span, digest: w.digest, parentId: parent.peerId, finishedAt: Date.now() };
        } catch (err) {
          inflight.piece.fail();
          throw err;
        } finally {
          inflight.done();
        }
      });
      missing.delete(span.number);
      lastProgress = Date.now();
      if (fetched) session.reportPiece(piece, Date.now() - started);
      else session.reportPiece(piece, 0);
    } catch (err) {
      if (isDfError(err) && err.code === ErrorCode.Internal) throw err;
      const reason = failureReason(err);
      // An early request the parent could not answer within its wait is no failure: the parent
      // is still downloading and had not announced the piece. (An unknown task is one.)
      if (early && isPending(err)) return;
      session.reportPieceFailure(
        span.number,
        parent.peerId,
        reason,
        isDfError(err) ? err.message : String(err),
      );
      if (reason === PieceFailureReason.PIECE_FAILURE_REASON_NOT_FOUND)
        parent.pieces.delete(span.number);
      if (reason !== PieceFailureReason.PIECE_FAILURE_REASON_PARENT_BUSY) parent.failures++;
      if (
        reason === PieceFailureReason.PIECE_FAILURE_REASON_DIGEST_MISMATCH ||
        parent.failures >= FAILURES_BEFORE_DROP
      ) {
        dropped.add(parent.peerId);
        collector.drop(parent.peerId);
      }
    } finally {
      parent.inflight--;
      parent.early.delete(span.number);
      running.delete(span.number);
      wake();
    }
  };

  try {
    while (missing.size > 0 && session.active) {
      for (const n of missing.keys()) {
        const stored = task.pieces.get(n);
        if (stored && !running.has(n)) {
          missing.delete(n);
          session.reportPiece(stored, 0);
        }
      }
      for (const span of missing.values()) {
        if (running.size >= deps.concurrency) break;
        if (running.has(span.number)) continue;
        const parent = collector.bestParentFor(span.number);
        const early = parent ? undefined : collector.earlyParentFor(span.number);
        if (parent) running.set(span.number, fetchOne(span, parent, false));
        else if (early) running.set(span.number, fetchOne(span, early, true));
      }
      const idle = running.size === 0;
      const stalled = Date.now() - lastProgress > RESCHEDULE_AFTER_MS;
      if (idle && stalled) {
        // Parents that hold none of the missing pieces after a stall are given up on: telling the
        // scheduler lets it stop offering them, so a swarm that lost its only source (a killed
        // seed) ends in back-to-source instead of children waiting on each other forever.
        for (const p of collector.usableParents()) {
          if (![...missing.keys()].some((n) => p.pieces.has(n))) {
            dropped.add(p.peerId);
            collector.drop(p.peerId);
          }
        }
      }
      if ((idle && collector.usableParents().length === 0) || (idle && stalled)) {
        if (Date.now() - lastReschedule > RESCHEDULE_AFTER_MS) {
          lastReschedule = Date.now();
          session.reschedule(
            [...dropped],
            idle && collector.usableParents().length === 0 ? "no usable parent" : "no progress",
          );
        }
      }
      if (
        Date.now() - lastRefresh > REFRESH_EVERY_MS &&
        Date.now() - lastProgress > REFRESH_EVERY_MS &&
        collector.usableParents().length > 0
      ) {
        lastRefresh = Date.now();
        session.reschedule([], REFRESH_PARENTS);
      }
      if (!woken) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, WAIT_SLICE_MS);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
      woken = false;
      wake = () => {
        woken = true;
      };
    }
    await Promise.all(running.values());
    if (missing.size > 0 && session.active)
      throw new DfError(ErrorCode.Internal, "download stopped with pieces missing");
  } finally {
    collector.off("change", onChange);
  }
}
