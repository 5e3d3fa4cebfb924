import { createReadStream, read } from "node:fs";
import { promisify } from "node:util";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";

import type { Logger } from "@df/logger";

import type { HostLimiters } from "../limit/host-limiters";
import { throttle } from "../limit/token-bucket";
import { BufferPool } from "../io/buffer-pool";
import { leaseContent } from "../storage/content-fds";
import type { Storage } from "../storage/storage";
import type { StoredTask } from "../storage/stored-task";
import type { PieceMeta } from "../storage/types";
import { InflightPiece } from "../task/inflight-piece";
import { TASK_ID_PATTERN } from "../task/task-id";
import { forwardInflight } from "./forward-inflight";
import { sendPaced } from "./paced-send";

/**
 * PIECE_PATH matches `/tasks/<64 hex>/pieces/<number>`, optionally `?wait=<ms>`; nothing else is
 * served.
 */
const PIECE_PATH = /^\/tasks\/([a-f0-9]{64})\/pieces\/(\d{1,9})(?:\?wait=(\d{1,6}))?$/;
/** MAX_WAIT_MS caps how long a request may wait for a piece this peer is still downloading. */
export const MAX_WAIT_MS = 5_000;
/** MAX_WAITERS bounds the requests waiting at once; past it, an unfinished piece is 404 at once. */
const MAX_WAITERS = 256;

/** PIECE_DIGEST_HEADER carries the piece's recorded digest so the receiver can verify the bytes. */
export const PIECE_DIGEST_HEADER = "x-dragonfly-piece-digest";
/**
 * PIECE_PENDING_HEADER marks a 404 for a piece of a task this peer is still downloading (as
 * against an unknown task): a child that asked early just asks again later.
 */
export const PIECE_PENDING_HEADER = "x-dragonfly-piece-pending";

/**
 * WHOLE_READ_MAX is the largest piece read into memory in one call rather than streamed: up to
 * the 1 MiB a streamed piece buffers anyway (its read size), so memory per upload is the same,
 * while the stream, throttle stage and pipeline per piece cost a busy parent about a fifth of
 * its CPU (measured: a swarm of 8 with 1 MiB pieces, 0.36–0.43 → 0.27–0.33 CPU-s per peer).
 */
const WHOLE_READ_MAX = 1024 * 1024;

const readFd = promisify(read);

/** readRange reads exactly `length` bytes at `offset` of the file into `buf`. */
async function readRange(path: string, offset: number, length: number, buf: Buffer): Promise<void> {
  const lease = await leaseContent(path);
  try {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await readFd(lease.fd, buf, done, length - done, offset + done);
      if (bytesRead === 0) throw new Error(`content ends before byte ${offset + length}`);
      done += bytesRead;
    }
  } finally {
    lease.release();
  }
}

/**
 * wholeBuffers hold whole-piece reads, reused once a send has ended: a fresh 1 MiB allocation
 * per piece made garbage collection the largest single cost of a busy parent.
 */
const wholeBuffers = new BufferPool(WHOLE_READ_MAX, 8);

/** pieceHeaders are the headers of a piece answer. */
function pieceHeaders(length: number, digest: string): Record<string, string> {
  return {
    "content-type": "application/octet-stream",
    "content-length": String(length),
    [PIECE_DIGEST_HEADER]: digest,
  };
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
 * waitForPiece resolves with the piece once the task stores it or starts receiving it from a
 * parent, or undefined after `ms`, when the requester goes away, or when the task is deleted.
 */
function waitForPiece(
  task: StoredTask,
  n: number,
  ms: number,
  req: IncomingMessage,
  inflightToo: boolean,
): Promise<PieceMeta | InflightPiece | undefined> {
  const stored = task.pieces.get(n) ?? (inflightToo ? task.inflight.get(n) : undefined);
  if (stored || ms <= 0) return Promise.resolve(stored);
  return new Promise((resolve) => {
    const done = (p: PieceMeta | InflightPiece | undefined) => {
      clearTimeout(timer);
      off();
      offInflight();
      offDeleted();
      req.socket.off("close", gone);
      resolve(p);
    };
    const gone = () => done(undefined);
    const timer = setTimeout(gone, ms);
    const off = task.onPiece((p) => {
      if (p.number === n) done(p);
    });
    const offInflight = inflightToo
      ? task.onInflight((p) => {
          if (p.span.number === n) done(p);
        })
      : () => undefined;
    const offDeleted = task.onDeleted(gone);
    req.socket.once("close", gone);
  });
}

/**
 * createPieceServer serves finished pieces of stored tasks over plain HTTP, for other peers. It
 * answers only GET of a known task's finished piece; no file path ever comes from the request
 * (the task id must be 64 hex characters and is looked up in storage), and uploads beyond the
 * load limit get 503 so the child tries another parent. An unfinished piece is 404, unless the
 * request asks to `wait` (at most MAX_WAIT_MS) and this peer is still downloading the task: the
 * answer then starts the moment the piece is stored, so a child that follows this peer has its
 * next request already here instead of learning of the piece and asking a round trip later. A
 * waited-for piece that this peer is receiving from its own parent is passed on as its bytes
 * arrive (forward-inflight.ts), with its last byte held back until the piece is verified here:
 * each hop of a swarm then adds a few network reads instead of a whole piece's transfer time.
 */
export function createPieceServer(deps: PieceServerDeps): Server & { uploading: () => number } {
  let uploading = 0;
  let waiting = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "GET") return reply(res, 405, "only GET is served", { allow: "GET" });
    const match = PIECE_PATH.exec(req.url ?? "");
    if (!match) return reply(res, 404, "not a piece path");
    const [, id = "", num = "", wait = "0"] = match;
    const task = TASK_ID_PATTERN.test(id) ? deps.storage.get(id) : undefined;
    if (!task) return reply(res, 404, "unknown task");
    let piece = task.pieces.get(Number(num));
    const waitMs = Math.min(Number(wait), MAX_WAIT_MS);
    if (!piece && waitMs > 0 && !task.isFinished && waiting < MAX_WAITERS) {
      const until = Date.now() + waitMs;
      waiting++;
      task.active++;
      try {
        for (;;) {
          const found = await waitForPiece(task, Number(num), until - Date.now(), req, true);
          if (!(found instanceof InflightPiece)) {
            piece = found;
            break;
          }
          if (!found.kept) {
            // Its bytes are not kept (too large for the memory set aside): wait until stored.
            const stored = await waitForPiece(task, Number(num), until - Date.now(), req, false);
            piece = stored instanceof InflightPiece ? undefined : stored;
            break;
          }
          if (deps.storage.get(id) !== task) break;
          // A piece still arriving is passed on as it arrives; one lost before its first byte
          // (the parent did not have it yet) is waited for again.
          if (uploading >= deps.loadLimit())
            return reply(res, 503, "upload load limit reached", { "retry-after": "1" });
          uploading++;
          task.touch();
          try {
            const headers = (digest: string) => pieceHeaders(found.span.length, digest);
            if (await forwardInflight(res, found, headers, deps.limiters.upload)) return;
          } finally {
            uploading--;
          }
        }
      } finally {
        waiting--;
        task.active--;
      }
      if (deps.storage.get(id) !== task) return reply(res, 404, "unknown task");
    }
    if (!piece) return reply(res, 404, "piece not finished", { [PIECE_PENDING_HEADER]: "1" });
    if (uploading >= deps.loadLimit())
      return reply(res, 503, "upload load limit reached", { "retry-after": "1" });
    uploading++;
    task.active++;
    task.touch();
    try {
      const headers = pieceHeaders(piece.length, piece.digest);
      if (piece.length <= WHOLE_READ_MAX) {
        // A small piece is read in one call and written in slices as the upload limit allows: no
        // stream machinery per piece, which matters when pieces are small and many.
        const whole = wholeBuffers.take();
        // The buffer is reused unless the socket may still hold it (a send that did not end).
        let reusable = true;
        try {
          const buf = whole.subarray(0, piece.length);
          await readRange(task.contentPath, piece.offset, piece.length, buf);
          res.writeHead(200, headers);
          reusable = false; // until every byte has left through the socket
          reusable = await sendPaced(res, buf, deps.limiters.upload, true);
        } finally {
          if (reusable) wholeBuffers.give(whole);
        }
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
