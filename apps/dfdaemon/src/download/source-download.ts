import { DfError, ErrorCode } from "@df/errors";

import type { SourceRequest } from "../backend/http-source";
import type { HostLimiters } from "../limit/host-limiters";
import type { StoredTask } from "../storage/stored-task";
import type { PieceMeta } from "../storage/types";
import type { PieceSpan } from "../task/pieces";
import type { PieceClaims } from "./claims";
import { fetchPieceFromSource } from "./source-fetcher";
import { downloadWholeBody } from "./whole-body";

/** SourceDownloadOptions drive fetching the missing pieces of a task from the origin. */
export interface SourceDownloadOptions {
  task: StoredTask;
  pieces: readonly PieceSpan[];
  source: SourceRequest;
  limiters: HostLimiters;
  claims: PieceClaims;
  concurrency: number;
  /** onPiece is called for each piece as it lands; `fetched` is false when another request got it. */
  onPiece: (piece: PieceMeta, fetched: boolean) => void;
  signal?: AbortSignal | undefined;
}

/**
 * downloadFromSource fetches the given pieces from the origin, `concurrency` ranges at a time,
 * or as one stream of the whole body when the origin ignores Range.
 */
export async function downloadFromSource(o: SourceDownloadOptions): Promise<void> {
  if (o.task.meta.rangeable === false) return downloadWholeBody(o);
  let next = 0;
  const worker = async () => {
    while (next < o.pieces.length) {
      if (o.signal?.aborted)
        throw new DfError(ErrorCode.Timeout, "download cancelled or timed out");
      const span = o.pieces[next++];
      if (!span) break;
      const { piece, fetched } = await o.claims.claim(o.task, span, () =>
        fetchPieceFromSource(o.task, span, o.source, o.limiters),
      );
      o.onPiece(piece, fetched);
    }
  };
  const n = Math.max(1, Math.min(o.concurrency, o.pieces.length));
  await Promise.all(Array.from({ length: n }, worker));
}
