import { createWriteStream } from "node:fs";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32 } from "node:zlib";

import { DfError, ErrorCode } from "@df/errors";

import type { PieceSpan } from "../task/pieces";

/** WrittenPiece is what writing a piece's bytes produced. */
export interface WrittenPiece {
  /** digest is `crc32:<decimal>` of the bytes written. */
  digest: string;
  bytes: number;
}

/**
 * writePiece streams `body` into the task's content file at the piece's offset, computing the
 * piece digest on the way, and fails if the byte count differs from the piece length (a dropped
 * connection) or, when `expectedDigest` is given, if the digest differs (a corrupt parent).
 */
export async function writePiece(
  contentPath: string,
  span: PieceSpan,
  body: Readable,
  stages: Transform[] = [],
  expectedDigest?: string,
): Promise<WrittenPiece> {
  let crc = 0;
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > span.length) {
        done(
          new DfError(
            ErrorCode.SourceError,
            `piece ${span.number} got more than its ${span.length} bytes`,
          ),
        );
        return;
      }
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
  });
  const out = createWriteStream(contentPath, {
    flags: "r+",
    start: span.offset,
    highWaterMark: 1 << 20,
  });
  await pipeline([body, ...stages, tap, out]);
  if (bytes !== span.length) {
    throw new DfError(
      ErrorCode.SourceError,
      `piece ${span.number} ended after ${bytes} of ${span.length} bytes`,
      {
        retryable: true,
      },
    );
  }
  const digest = `crc32:${crc >>> 0}`;
  if (expectedDigest && expectedDigest !== digest) {
    throw new DfError(
      ErrorCode.DigestMismatch,
      `piece ${span.number} digest ${digest} does not match ${expectedDigest}`,
      {
        expected: expectedDigest,
        actual: digest,
        piece: span.number,
      },
    );
  }
  return { digest, bytes };
}
