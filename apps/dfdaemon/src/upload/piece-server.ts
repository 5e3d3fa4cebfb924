import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";

import type { Logger } from "@df/logger";

import type { HostLimiters } from "../limit/host-limiters";
import { throttle } from "../limit/token-bucket";
import type { Storage } from "../storage/storage";
import { TASK_ID_PATTERN } from "../task/task-id";

/** PIECE_PATH matches `/tasks/<64 hex>/pieces/<number>`; nothing else is served. */
const PIECE_PATH = /^\/tasks\/([a-f0-9]{64})\/pieces\/(\d{1,9})$/;

/** PIECE_DIGEST_HEADER carries the piece's recorded digest so the receiver can verify the bytes. */
export const PIECE_DIGEST_HEADER = "x-dragonfly-piece-digest";

/** WHOLE_READ_MAX is the largest piece read into memory in one call rather than streamed. */
const WHOLE_READ_MAX = 256 * 1024;

/** readRange reads exactly `length` bytes at `offset` of the file. */
async function readRange(path: string, offset: number, length: number): Promise<Buffer> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await fh.read(buf, done, length - done, offset + done);
      if (bytesRead === 0) throw new Error(`content ends before byte ${offset + length}`);
      done += bytesRead;
    }
    return buf;
  } finally {
    await fh.close();
  }
}

/** PieceServerDeps are what the piece server reads: storage, limits, and the live load limit. */
export interface PieceServerDeps {
  storage: Storage;
  limiters: HostLimiters;
  log: Logger;
  /** loadLimit is the number of concurrent uploads allowed, read per request (pushed config). */
  loadLimit: () => number;
}

function reply(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "text/plain", ...headers }).end(message + "\n");
}

/**
 * createPieceServer serves finished pieces of stored tasks over plain HTTP, for other peers. It
 * answers only GET of a known task's finished piece; no file path ever comes from the request
 * (the task id must be 64 hex characters and is looked up in storage), unfinished pieces are 404,
 * and uploads beyond the load limit get 503 so the child tries another parent.
 */
export function createPieceServer(deps: PieceServerDeps): Server & { uploading: () => number } {
  let uploading = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "GET") return reply(res, 405, "only GET is served", { allow: "GET" });
    const match = PIECE_PATH.exec(req.url ?? "");
    if (!match) return reply(res, 404, "not a piece path");
    const [, id = "", num = ""] = match;
    const task = TASK_ID_PATTERN.test(id) ? deps.storage.get(id) : undefined;
    if (!task) return reply(res, 404, "unknown task");
    const piece = task.pieces.get(Number(num));
    if (!piece) return reply(res, 404, "piece not finished");
    if (uploading >= deps.loadLimit())
      return reply(res, 503, "upload load limit reached", { "retry-after": "1" });
    uploading++;
    task.active++;
    task.touch();
    try {
      const headers = {
        "content-type": "application/octet-stream",
        "content-length": String(piece.length),
        [PIECE_DIGEST_HEADER]: piece.digest,
      };
      if (piece.length <= WHOLE_READ_MAX) {
        // A small piece is read in one call and sent in one write once the upload limit allows
        // it: no stream machinery per piece, which matters when pieces are small and many.
        const buf = await readRange(task.contentPath, piece.offset, piece.length);
        await deps.limiters.upload.acquire(buf.length);
        res.writeHead(200, headers);
        await new Promise<void>((resolve, reject) => {
          res.once("error", reject);
          res.once("close", resolve);
          res.end(buf);
        });
        return;
      }
      res.writeHead(200, headers);
      const body = createReadStream(task.contentPath, {
        start: piece.offset,
        end: piece.offset + piece.length - 1,
        highWaterMark: 1 << 20,
      });
      await pipeline(body, throttle([deps.limiters.upload]), res);
    } finally {
      uploading--;
      task.active--;
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      deps.log.debug("piece upload failed", { error: String(err) });
      if (!res.headersSent) reply(res, 500, "upload failed");
      else res.destroy();
    });
  });
  return Object.assign(server, { uploading: () => uploading });
}
