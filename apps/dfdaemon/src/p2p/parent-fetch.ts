import { Agent, request, type IncomingMessage } from "node:http";

import { DfError, ErrorCode } from "@df/errors";

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
