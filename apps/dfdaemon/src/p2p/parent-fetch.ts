import { Agent, request, type IncomingMessage } from "node:http";

import { DfError, ErrorCode } from "@df/errors";

import { NotPlainRange, readRangeRaw, releaseStage } from "../backend/raw-range";
import { PieceSink } from "../download/piece-sink";
import { writePiece, type WrittenPiece } from "../download/piece-writer";
import type { HostLimiters } from "../limit/host-limiters";
import { throttleStages } from "../limit/token-bucket";
import type { PieceSpan } from "../task/pieces";

/** PIECE_TIMEOUT_MS fails a piece request to a parent that sends nothing for this long. */
export const PIECE_TIMEOUT_MS = 15_000;

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** ParentAddress is where a parent serves piece bytes. */
export interface ParentAddress {
  ip: string;
  downloadPort: number;
}

function open(parent: ParentAddress, taskId: string, n: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: parent.ip, port: parent.downloadPort, path: `/tasks/${taskId}/pieces/${n}`, agent },
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
 * under the host download limit, and verifies it against the digest the parent announced.
 */
export async function fetchPieceFromParent(
  parent: ParentAddress,
  taskId: string,
  contentPath: string,
  span: PieceSpan,
  expectedDigest: string,
  limiters: HostLimiters,
): Promise<WrittenPiece> {
  if (limiters.download.currentRate <= 0) {
    const raw = await fetchRaw(parent, taskId, contentPath, span, expectedDigest);
    if (raw) return raw;
  }
  const res = await open(parent, taskId, span.number);
  if (res.statusCode !== 200) {
    res.resume();
    const busy = res.statusCode === 503;
    throw new DfError(
      busy ? ErrorCode.RateLimited : ErrorCode.NotFound,
      `parent answered ${res.statusCode} for piece ${span.number}`,
    );
  }
  return writePiece(contentPath, span, res, throttleStages([limiters.download]), expectedDigest);
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
  expectedDigest: string,
): Promise<WrittenPiece | undefined> {
  const url = `http://${parent.ip}:${parent.downloadPort}/tasks/${taskId}/pieces/${span.number}`;
  const sink = await PieceSink.open(contentPath, span, releaseStage);
  try {
    // The piece is the whole answer: 200 with exactly the piece's length. A parent that goes
    // quiet fails the piece after the raw client's idle timeout.
    await readRangeRaw({ url, headers: {} }, 0, span.length, span.length, sink);
    return await sink.end(expectedDigest || undefined);
  } catch (err) {
    if (err instanceof NotPlainRange) return undefined;
    throw err;
  } finally {
    await sink.close();
  }
}
