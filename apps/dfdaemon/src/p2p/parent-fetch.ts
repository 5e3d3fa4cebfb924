import { Agent, request, type IncomingMessage } from "node:http";

import { DfError, ErrorCode } from "@df/errors";

import { values } from "../backend/http1";
import { NotPlainRange, readRangeRaw, releaseStage } from "../backend/raw-range";
import { PieceSink } from "../download/piece-sink";
import { writePiece, type WrittenPiece } from "../download/piece-writer";
import type { HostLimiters } from "../limit/host-limiters";
import { throttleStages } from "../limit/token-bucket";
import type { InflightPiece } from "../task/inflight-piece";
import type { PieceSpan } from "../task/pieces";
import { PIECE_DIGEST_HEADER, PIECE_PENDING_HEADER } from "../upload/piece-server";

/** PIECE_TIMEOUT_MS fails a piece request to a parent that sends nothing for this long. */
export const PIECE_TIMEOUT_MS = 15_000;

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** ParentAddress is where a parent serves piece bytes. */
export interface ParentAddress {
  ip: string;
  downloadPort: number;
}

/** piecePath is the piece server's path of a piece, asking it to wait `waitMs` if not stored yet. */
function piecePath(taskId: string, n: number, waitMs: number): string {
  return `/tasks/${taskId}/pieces/${n}${waitMs > 0 ? `?wait=${waitMs}` : ""}`;
}

/**
 * statusError is the failure of a piece answer other than 200; `pending` marks a 404 for a piece
 * the parent is still downloading (see isPending).
 */
function statusError(status: number | undefined, n: number, pending: boolean): DfError {
  return new DfError(
    status === 503 ? ErrorCode.RateLimited : ErrorCode.NotFound,
    `parent answered ${status ?? "nothing"} for piece ${n}${pending ? " (not stored yet)" : ""}`,
    pending ? { pending: true } : {},
  );
}

/** isPending tells whether a failed piece was only not stored yet at a parent still downloading. */
export function isPending(err: unknown): boolean {
  return err instanceof DfError && err.details.pending === true;
}

/**
 * digestToCheck is the digest the piece must have: the one the parent announced over SyncPieces,
 * else (a piece asked for before it was announced) the one its answer carries. Either comes
 * from the parent; a parent that sends other bytes than it recorded is caught by both.
 */
function digestToCheck(announced: string, answered: string | undefined, n: number): string {
  const digest = announced || answered;
  if (!digest)
    throw new DfError(ErrorCode.DigestMismatch, `parent sent piece ${n} without a digest`);
  return digest;
}

function open(
  parent: ParentAddress,
  taskId: string,
  n: number,
  waitMs: number,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: parent.ip, port: parent.downloadPort, path: piecePath(taskId, n, waitMs), agent },
      resolve,
    );
    req.setTimeout(PIECE_TIMEOUT_MS, () =>
      req.destroy(
        new DfError(
          ErrorCode.Timeout,
          `parent ${parent.ip}:${parent.downloadPort} sent nothing for ${PIECE_TIMEOUT_MS} ms`,
        ),
      ),
    );
    req.once("error", (err) =>
      reject(
        err instanceof DfError
          ? err
          : new DfError(
              ErrorCode.Unavailable,
              `parent ${parent.ip}:${parent.downloadPort}: ${err.message}`,
            ),
      ),
    );
    req.end();
  });
}

/**
 * fetchPieceFromParent downloads one piece from a parent's piece server into the content file,
 * under the host download limit, and verifies it against the digest the parent announced (or,
 * for a piece asked for early, the one its answer carries). With `waitMs`, the parent holds the
 * request until it has stored the piece (a piece it is downloading), else answers 404 then.
 */
export async function fetchPieceFromParent(
  parent: ParentAddress,
  taskId: string,
  contentPath: string,
  span: PieceSpan,
  announcedDigest: string,
  limiters: HostLimiters,
  waitMs = 0,
  tap?: InflightPiece,
): Promise<WrittenPiece> {
  if (announcedDigest) tap?.setDigest(announcedDigest);
  if (limiters.download.currentRate <= 0) {
    const raw = await fetchRaw(parent, taskId, contentPath, span, announcedDigest, waitMs, tap);
    if (raw) {
      tap?.verify();
      return raw;
    }
  }
  const res = await open(parent, taskId, span.number, waitMs);
  if (res.statusCode !== 200) {
    res.resume();
    throw statusError(res.statusCode, span.number, res.headers[PIECE_PENDING_HEADER] === "1");
  }
  const answered = res.headers[PIECE_DIGEST_HEADER];
  let digest: string;
  try {
    digest = digestToCheck(
      announcedDigest,
      typeof answered === "string" ? answered : undefined,
      span.number,
    );
  } catch (err) {
    res.destroy();
    throw err;
  }
  tap?.setDigest(digest);
  const written = await writePiece(
    contentPath,
    span,
    res,
    throttleStages([limiters.download]),
    digest,
    tap,
  );
  tap?.verify();
  return written;
}

/**
 * fetchRaw is the fast path with no download limit: the piece server's answer is read over a
 * kept-alive raw connection into reused buffers that go to disk as they are (node:http's client
 * copies every 64 KiB read into a new allocation, the largest cost of a busy child). Returns
 * undefined when the answer was not a plain 200 (404, 503, ...): node:http then fetches the piece
 * and reports the status as usual.
 */
async function fetchRaw(
  parent: ParentAddress,
  taskId: string,
  contentPath: string,
  span: PieceSpan,
  announcedDigest: string,
  waitMs: number,
  tap: InflightPiece | undefined,
): Promise<WrittenPiece | undefined> {
  const url = `http://${parent.ip}:${parent.downloadPort}${piecePath(taskId, span.number, waitMs)}`;
  const sink = await PieceSink.open(contentPath, span, releaseStage, tap);
  if (tap && !tap.digest) {
    // A piece asked for early: the digest to pass on is the one the parent's answer carries.
    sink.head = (head) => {
      const [answered] = values(head.raw, PIECE_DIGEST_HEADER);
      if (answered) tap.setDigest(answered);
    };
  }
  try {
    // The piece is the whole answer: 200 with exactly the piece's length. A parent that goes
    // quiet fails the piece after the raw client's idle timeout.
    const head = await readRangeRaw({ url, headers: {} }, 0, span.length, span.length, sink);
    const [answered] = values(head.raw, PIECE_DIGEST_HEADER);
    return await sink.end(digestToCheck(announcedDigest, answered, span.number));
  } catch (err) {
    // A status answer is final (asking node:http again would wait again); anything else, such
    // as a connection that failed before answering, goes to node:http.
    const status = err instanceof NotPlainRange ? err.head?.status : undefined;
    if (err instanceof NotPlainRange && status !== undefined && status !== 200) {
      const pending = values(err.head?.raw ?? [], PIECE_PENDING_HEADER)[0] === "1";
      throw statusError(status, span.number, pending);
    }
    if (err instanceof NotPlainRange) return undefined;
    throw err;
  } finally {
    await sink.close();
  }
}
