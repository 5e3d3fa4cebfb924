import type { Readable, Transform } from "node:stream";

import { DfError, ErrorCode } from "@df/errors";

import { openWhole } from "../backend/http-source";
import { throttleStages } from "../limit/token-bucket";
import type { PieceMeta } from "../storage/types";
import { pieceSpan, type PieceSpan } from "../task/pieces";
import { PieceSink } from "./piece-sink";
import { withRetry } from "./retry";
import type { SourceDownloadOptions } from "./source-download";

/**
 * downloadWholeBody fetches the pieces of a task whose origin ignores Range (python's
 * http.server, some CDNs): one GET of the whole body, cut into pieces as it streams, in order.
 * Pieces already stored are read past, and the stream is dropped after the last piece asked for.
 * A broken stream starts over from the first byte (the origin cannot resume), but only the
 * pieces still missing are written again; it is retried as a range piece would be.
 */
export async function downloadWholeBody(o: SourceDownloadOptions): Promise<void> {
  const wanted = new Set(o.pieces.map((p) => p.number));
  if (wanted.size === 0) return;
  const { contentLength, pieceLength } = o.task.meta;
  const last = Math.max(...wanted);
  const reported = new Set<number>();
  await withRetry(
    async () => {
      const res = await openWhole(o.source, contentLength);
      const [paced] = throttleStages([o.limiters.download, o.limiters.backToSource]);
      const body = paced ? through(res, paced) : res;
      const reader = new BodyReader(body);
      try {
        for (let n = 0; n <= last; n++) {
          if (o.signal?.aborted)
            throw new DfError(ErrorCode.Timeout, "download cancelled or timed out");
          const span = pieceSpan(n, pieceLength, contentLength);
          let ours = false;
          const { piece, fetched } = await o.claims.claim(o.task, span, async () => {
            ours = true;
            return readPiece(o.task.contentPath, span, reader);
          });
          // Stored already, or fetched by another download of the task: read past its bytes.
          if (!ours) await reader.skip(span.length);
          if (wanted.has(n) && !reported.has(n)) {
            reported.add(n);
            o.onPiece(piece, fetched);
          }
        }
      } finally {
        res.destroy();
        body.destroy();
      }
    },
    { attempts: 4, backoffMs: 200, signal: o.signal },
  );
}

/** through pipes the body into the throttle (the host's limits), passing an error on. */
function through(res: Readable, paced: Transform): Readable {
  res.on("error", (err) => paced.destroy(err));
  return res.pipe(paced);
}

/** readPiece writes the next `span.length` bytes of the body as the piece, with its digest. */
async function readPiece(
  contentPath: string,
  span: PieceSpan,
  reader: BodyReader,
): Promise<PieceMeta> {
  const sink = await PieceSink.open(contentPath, span);
  try {
    await reader.take(span.length, sink);
    const written = await sink.end();
    return { ...span, digest: written.digest, finishedAt: Date.now() };
  } finally {
    await sink.close();
  }
}

/**
 * BodyReader hands out a body's bytes in exact counts across chunk boundaries: `take` feeds
 * them to a piece sink (waiting while the disk lags), `skip` drops them.
 */
export class BodyReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private rest: Buffer | undefined;
  private offset = 0;

  constructor(body: Readable) {
    this.chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** take passes the next `n` bytes to the sink. */
  async take(n: number, sink: Pick<PieceSink, "write" | "onDrain">): Promise<void> {
    for (let left = n; left > 0;) {
      const chunk = await this.next(left);
      left -= chunk.length;
      if (!sink.write(chunk)) await new Promise<void>((r) => (sink.onDrain = r));
    }
  }

  /** skip drops the next `n` bytes. */
  async skip(n: number): Promise<void> {
    for (let left = n; left > 0;) left -= (await this.next(left)).length;
  }

  /** next returns up to `max` bytes: the rest of the current chunk, or the next chunk. */
  private async next(max: number): Promise<Buffer> {
    if (!this.rest) {
      let r: IteratorResult<Buffer>;
      try {
        r = await this.chunks.next();
      } catch (err) {
        throw new DfError(
          ErrorCode.SourceError,
          `source body broke after ${this.offset} bytes: ${(err as Error).message}`,
          { retryable: true },
          err,
        );
      }
      if (r.done) {
        throw new DfError(ErrorCode.SourceError, `source body ended after ${this.offset} bytes`, {
          retryable: true,
        });
      }
      this.rest = r.value;
    }
    const chunk = this.rest;
    if (chunk.length <= max) {
      this.rest = undefined;
      this.offset += chunk.length;
      return chunk;
    }
    this.rest = chunk.subarray(max);
    this.offset += max;
    return chunk.subarray(0, max);
  }
}
