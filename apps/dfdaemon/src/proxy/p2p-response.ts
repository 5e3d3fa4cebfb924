import type { OutgoingHttpHeaders, ServerResponse } from "node:http";

import { ErrorCode, isDfError } from "@df/errors";
import type { Logger } from "@df/logger";

import type { DownloadRequest, TaskDownloader } from "../download/task-download";
import type { Storage } from "../storage/storage";
import { interestedPieces, type ByteRange } from "../task/pieces";
import { DEFAULT_FILTERED_QUERY_PARAMS, taskId } from "../task/task-id";
import { DF_HEADER } from "./headers";
import { PieceStream } from "./piece-stream";
import { contentRange, firstByte, parseRange, resolveRange } from "./range";

/** P2PDeps are the daemon resources a P2P response uses. */
export interface P2PDeps {
  downloader: TaskDownloader;
  storage: Storage;
  log: Logger;
}

/** P2PRequest is one proxied GET served through a P2P task. */
export interface P2PRequest {
  url: string;
  headers: Record<string, string>;
  tag: string;
  application: string;
  filteredQueryParams: string[];
  /** digest is the blob digest from a registry URL, verified for whole-content answers. */
  digest?: string | undefined;
  rangeHeader?: string | undefined;
}

/**
 * serveP2P answers a GET from a P2P task: 200 with the whole content, or 206 with the exact bytes
 * of a Range (416 when it cannot be satisfied). Bytes stream as the pieces land.
 */
export async function serveP2P(deps: P2PDeps, p: P2PRequest, res: ServerResponse): Promise<void> {
  const filtered = p.filteredQueryParams.length
    ? p.filteredQueryParams
    : [...DEFAULT_FILTERED_QUERY_PARAMS];
  const req = { ...p, filteredQueryParams: filtered };
  const id = taskId({
    url: p.url,
    tag: p.tag,
    application: p.application,
    filteredQueryParams: filtered,
  });
  const spec = parseRange(p.rangeHeader);
  if (!spec) return stream(deps, req, id, undefined, res);
  const total =
    deps.storage.get(id)?.meta.contentLength ?? (await learnLength(deps, req, id, firstByte(spec)));
  const range = resolveRange(spec, total);
  if (range !== "unsatisfiable") return stream(deps, req, id, range, res);
  res.writeHead(416, {
    "content-length": "0",
    "content-range": `bytes */${total}`,
    [DF_HEADER.via]: "p2p",
    [DF_HEADER.taskId]: id,
  });
  res.end();
}

/**
 * learnLength downloads the one piece holding the range's first byte, which also creates the task
 * and so tells its length. A first byte past the end fails the download after the task exists.
 */
async function learnLength(deps: P2PDeps, p: P2PRequest, id: string, at: number): Promise<number> {
  try {
    const r = await deps.downloader.download(toDownload(p, { start: at, length: 1 }));
    return r.contentLength;
  } catch (err) {
    const task = deps.storage.get(id);
    if (task && at >= task.meta.contentLength) return task.meta.contentLength;
    throw err;
  }
}

/** toDownload is the downloader's request for some bytes of the task (all without a range). */
function toDownload(p: P2PRequest, range?: ByteRange, digest?: string): DownloadRequest {
  return {
    url: p.url,
    headers: p.headers,
    tag: p.tag,
    application: p.application,
    filteredQueryParams: p.filteredQueryParams,
    range,
    digest,
    // PieceStream hashes the blob as it goes out and drops the task on a mismatch (see stream).
    digestCheckedByCaller: true,
    disableBackToSource: false,
  };
}

/** headersFor builds the answer's headers from the origin's, the length and the range. */
function headersFor(
  origin: Record<string, string>,
  id: string,
  total: number,
  range: ByteRange | undefined,
  digest: string | undefined,
): OutgoingHttpHeaders {
  const h: OutgoingHttpHeaders = {
    "content-type": "application/octet-stream",
    ...origin,
    "accept-ranges": "bytes",
    "content-length": String(range ? range.length : total),
    [DF_HEADER.via]: "p2p",
    [DF_HEADER.taskId]: id,
  };
  if (digest) h["docker-content-digest"] = digest;
  if (range) h["content-range"] = contentRange(range, total);
  return h;
}

/** stream runs the download and writes its pieces in order as they are stored. */
function stream(
  deps: P2PDeps,
  p: P2PRequest,
  id: string,
  range: ByteRange | undefined,
  res: ServerResponse,
): Promise<void> {
  const digest = range ? undefined : p.digest;
  let out: PieceStream | undefined;
  const open = (total: number, pieceLength: number, origin: Record<string, string>) => {
    const start = range?.start ?? 0;
    out = new PieceStream({
      res,
      contentPath: () => deps.storage.require(id).contentPath,
      pieces: interestedPieces(total, pieceLength, range),
      start,
      end: start + (range?.length ?? total),
      digest,
      writeHead: () =>
        res.writeHead(range ? 206 : 200, headersFor(origin, id, total, range, p.digest)),
    });
    return out;
  };
  const download = deps.downloader.download(toDownload(p, range, digest), {
    started: (info) => void open(info.contentLength, info.pieceLength, info.responseHeader),
    piece: (piece) => out?.add(piece.number),
  });
  return download
    .then((result) => {
      const m = result.task.meta;
      return (out ?? open(m.contentLength, m.pieceLength, m.responseHeader)).finish();
    })
    .catch(async (err: unknown) => {
      // A stored task whose bytes fail the blob digest must not be served again, here or to peers;
      // it is gone before the client learns of the failure, so a retry starts afresh. Forced: a
      // child may be fetching a piece of it right now, which is exactly what must stop.
      if (isDfError(err) && err.code === ErrorCode.DigestMismatch && deps.storage.get(id)) {
        await deps.storage
          .deleteTask(id, { force: true })
          .catch((e: unknown) =>
            deps.log.warn("cannot drop a corrupt task", { task: id, reason: String(e) }),
          );
      }
      throw err;
    });
}
