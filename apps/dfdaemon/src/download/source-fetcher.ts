import { openRange, type SourceRequest } from "../backend/http-source";
import type { HostLimiters } from "../limit/host-limiters";
import { throttleStages } from "../limit/token-bucket";
import type { StoredTask } from "../storage/stored-task";
import type { PieceMeta } from "../storage/types";
import type { PieceSpan } from "../task/pieces";
import { writePiece } from "./piece-writer";
import { withRetry } from "./retry";

/** fetchPieceFromSource downloads one piece from the origin, with retries and the host limits. */
export async function fetchPieceFromSource(
  task: StoredTask,
  span: PieceSpan,
  source: SourceRequest,
  limiters: HostLimiters,
): Promise<PieceMeta> {
  const written = await withRetry(
    async () => {
      const body = await openRange(source, span.offset, span.length, task.meta.contentLength);
      return writePiece(
        task.contentPath,
        span,
        body,
        throttleStages([limiters.download, limiters.backToSource]),
      );
    },
    { attempts: 4, backoffMs: 200, signal: source.signal },
  );
  return { ...span, digest: written.digest, finishedAt: Date.now() };
}
