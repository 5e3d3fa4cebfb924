import { finished, pipeline, type Readable, type Transform } from "node:stream";

import { DfError, ErrorCode } from "@df/errors";

import type { InflightPiece } from "../task/inflight-piece";
import type { PieceSpan } from "../task/pieces";
import { PieceSink, type WrittenPiece } from "./piece-sink";

export type { WrittenPiece } from "./piece-sink";

/**
 * writePiece streams `body` into the task's content file at the piece's offset, computing the
 * piece digest on the way, and fails if the byte count differs from the piece length (a dropped
 * connection) or, when `expectedDigest` is given, if the digest differs (a corrupt parent).
 * Chunks are read with a plain 'data' loop (pausing the body while the disk lags) and written in
 * batches with positioned writes; `stages` (throttles) sit between the body and the loop.
 */
export async function writePiece(
  contentPath: string,
  span: PieceSpan,
  body: Readable,
  stages: Transform[] = [],
  expectedDigest?: string,
  tap?: InflightPiece,
): Promise<WrittenPiece> {
  let sink: PieceSink;
  try {
    sink = await PieceSink.open(contentPath, span, undefined, tap);
  } catch (err) {
    body.destroy();
    throw err;
  }
  try {
    await drain(stages.length > 0 ? throughStages(body, stages) : body, sink);
    return await sink.end(expectedDigest);
  } finally {
    await sink.close();
  }
}

/** throughStages pipes the body through the stages and returns the last one to read from. */
function throughStages(body: Readable, stages: Transform[]): Readable {
  const last = stages[stages.length - 1] as Transform;
  pipeline([body, ...stages], (err) => {
    if (err) last.destroy(err);
  });
  return last;
}

/** drain feeds every chunk of `src` to the sink, pausing `src` while the sink is behind. */
function drain(src: Readable, sink: PieceSink): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      src.destroy();
      reject(err);
    };
    sink.onDrain = () => src.resume();
    src.on("data", (chunk: Buffer) => {
      try {
        if (!sink.write(chunk)) src.pause();
      } catch (err) {
        fail(err);
      }
    });
    finished(src, (err) => {
      if (!err) {
        settled = true;
        resolve();
        return;
      }
      // A connection dropped mid-body ends up as a short piece, which is worth another try.
      fail(
        err instanceof DfError
          ? err
          : new DfError(
              ErrorCode.SourceError,
              `piece ended after ${sink.bytes} bytes: ${err.message}`,
              { retryable: true },
              err,
            ),
      );
    });
  });
}
