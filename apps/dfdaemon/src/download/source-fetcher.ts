import { openRange, type SourceRequest } from "../backend/http-source";
import { NotPlainRange, readRangeRaw, releaseStage } from "../backend/raw-range";
import type { HostLimiters } from "../limit/host-limiters";
import { throttleStages } from "../limit/token-bucket";
import type { StoredTask } from "../storage/stored-task";
import type { PieceMeta } from "../storage/types";
import type { PieceSpan } from "../task/pieces";
import { PieceSink, type WrittenPiece } from "./piece-sink";
import { writePiece } from "./piece-writer";
import { withRetry } from "./retry";

/** NOT_RAW remembers source URLs whose answers need node:http (bounded: it only saves a request). */
const NOT_RAW = new Set<string>();
const NOT_RAW_LIMIT = 1024;

/** fetchPieceFromSource downloads one piece from the origin, with retries and the host limits. */
export async function fetchPieceFromSource(
  task: StoredTask,
  span: PieceSpan,
  source: SourceRequest,
  limiters: HostLimiters,
): Promise<PieceMeta> {
  const written = await withRetry(
    async () => {
      const stages = throttleStages([limiters.download, limiters.backToSource]);
      if (stages.length === 0 && !NOT_RAW.has(source.url)) {
        const raw = await fetchRaw(task, span, source);
        if (raw) return raw;
      }
      const body = await openRange(source, span.offset, span.length, task.meta.contentLength);
      return writePiece(task.contentPath, span, body, stages);
    },
    { attempts: 4, backoffMs: 200, signal: source.signal },
  );
  return { ...span, digest: written.digest, finishedAt: Date.now() };
}

/**
 * fetchRaw is the unthrottled fast path: socket reads land in staging buffers that go to disk as
 * they are, with no copy in between. Returns undefined when node:http must fetch the piece.
 */
async function fetchRaw(
  task: StoredTask,
  span: PieceSpan,
  source: SourceRequest,
): Promise<WrittenPiece | undefined> {
  const sink = await PieceSink.open(task.contentPath, span, releaseStage);
  try {
    await readRangeRaw(source, span.offset, span.length, task.meta.contentLength, sink);
    return await sink.end();
  } catch (err) {
    if (!(err instanceof NotPlainRange)) throw err;
    if (err.sticky) {
      if (NOT_RAW.size >= NOT_RAW_LIMIT) NOT_RAW.clear();
      NOT_RAW.add(source.url);
    }
    return undefined;
  } finally {
    await sink.close();
  }
}
