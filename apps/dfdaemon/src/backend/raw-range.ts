import { validateHeaderName, validateHeaderValue } from "node:http";
import { connect, type Socket } from "node:net";

import { DfError, ErrorCode } from "@df/errors";

import { BufferPool } from "../io/buffer-pool";
import { redactUrl, SOURCE_IDLE_TIMEOUT_MS, type SourceRequest } from "./http-source";
import { listTokens, parseHead, ProtocolError, values, type ResponseHead } from "./http1";

/** STAGE_BYTES is the size of the buffers the socket reads straight into. */
const STAGE_BYTES = 1 << 20;
/** MAX_POOLED_STAGES bounds the spare staging buffers kept for reuse (memory, not correctness). */
const MAX_POOLED_STAGES = 32;
/** MAX_HEAD_BYTES bounds a response head; a bigger one is not a plain range answer. */
const MAX_HEAD_BYTES = 32 * 1024;
/** IDLE_KEEP_MS is how long a finished connection waits for the next piece (under Node's 5 s). */
const IDLE_KEEP_MS = 4_000;
/** MAX_IDLE_PER_ORIGIN bounds the kept-alive connections per origin. */
const MAX_IDLE_PER_ORIGIN = 64;
/** HEADERS_LEFT_TO_NODE are request headers that change framing: such requests use node:http. */
const HEADERS_LEFT_TO_NODE = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "expect",
  "upgrade",
  "range",
]);

/** RangeSink receives the body: `write` returning false pauses the socket until `onDrain`. */
export interface RangeSink {
  write(chunk: Buffer): boolean;
  onDrain: () => void;
  /** head, if set, sees the answer's head before any body byte. */
  head?: (head: ResponseHead) => void;
  /**
   * peek, if set, sees each read's body bytes as they land, before `write` gets them in staging
   * batches; the view is only valid during the call.
   */
  peek?: (bytes: Buffer) => void;
}

/**
 * NotPlainRange means node:http should fetch this range instead: the answer was not a plain one
 * (redirect, error status, chunked, …; `sticky`, so later pieces of the URL skip the raw path) or
 * a fresh connection failed before any answer (node:http then reports it the usual way).
 */
export class NotPlainRange extends Error {
  constructor(
    message: string,
    readonly sticky = true,
    /** head is the answer's head, when there was one. */
    readonly head?: ResponseHead,
  ) {
    super(message);
  }
}

const stages = new BufferPool(STAGE_BYTES, MAX_POOLED_STAGES);
/** takeStage returns a staging buffer, reusing one that a finished write gave back. */
const takeStage = stages.take;
/** releaseStage gives a staging buffer back once its bytes are on disk. */
export function releaseStage(chunk: Buffer): void {
  // Only a view from the stage's start stands for the whole stage (a later slice is a part of it).
  if (chunk.byteOffset === 0) stages.give(chunk);
}

/** Conn is one raw connection; its read target and handler change with each exchange. */
interface Conn {
  socket: Socket;
  key: string;
  target: Buffer;
  /** onRead gets each read: `n` bytes at the start of `buf`, normally the target's memory. */
  onRead: (n: number, buf: Uint8Array) => void;
  /** onGone hears the connection fail or close; onIdleTimeout hears it stay silent too long. */
  onGone: (why: string) => void;
  onIdleTimeout: () => void;
  idleTimer?: NodeJS.Timeout;
}

const idle = new Map<string, Conn[]>();
const scratch = Buffer.allocUnsafe(4096);

function dial(url: URL, key: string): Conn {
  const conn: Conn = {
    key,
    target: scratch,
    onRead: () => conn.socket.destroy(),
    onGone: () => undefined,
    onIdleTimeout: () => undefined,
    socket: undefined as unknown as Socket,
  };
  conn.socket = connect({
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: Number(url.port || 80),
    noDelay: true,
    onread: {
      buffer: () => conn.target,
      callback: (n: number, buf: Uint8Array) => {
        conn.onRead(n, buf);
        return undefined as unknown as boolean;
      },
    },
  });
  conn.socket.on("error", (err) => conn.onGone(err.message));
  conn.socket.on("end", () => conn.onGone("closed by the source"));
  conn.socket.on("close", () => conn.onGone("closed"));
  conn.socket.on("timeout", () => conn.onIdleTimeout());
  return conn;
}

function takeIdle(key: string): Conn | undefined {
  const list = idle.get(key);
  const conn = list?.pop();
  if (list?.length === 0) idle.delete(key);
  if (conn) {
    clearTimeout(conn.idleTimer);
    conn.socket.ref();
  }
  return conn;
}

function keepIdle(conn: Conn): void {
  const list = idle.get(conn.key) ?? [];
  if (list.length >= MAX_IDLE_PER_ORIGIN) return void conn.socket.destroy();
  conn.target = scratch;
  conn.onRead = () => conn.socket.destroy();
  conn.socket.setTimeout(0);
  conn.socket.unref();
  conn.onGone = () => {
    clearTimeout(conn.idleTimer);
    conn.socket.destroy();
    const l = idle.get(conn.key);
    const i = l?.indexOf(conn) ?? -1;
    if (l && i >= 0) l.splice(i, 1);
    if (l?.length === 0) idle.delete(conn.key);
  };
  conn.idleTimer = setTimeout(() => conn.socket.destroy(), IDLE_KEEP_MS);
  conn.idleTimer.unref();
  list.push(conn);
  idle.set(conn.key, list);
}

/** rawRequestHead builds the request, or undefined when node:http should send it instead. */
function rawRequestHead(req: SourceRequest, url: URL, start: number, length: number) {
  if (url.protocol !== "http:" || url.username || url.password) return undefined;
  const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`];
  const headers: Record<string, string> = { "user-agent": "dragonfly-ts/dfdaemon", ...req.headers };
  for (const [k, v] of Object.entries(headers)) {
    if (HEADERS_LEFT_TO_NODE.has(k.toLowerCase())) return undefined;
    try {
      validateHeaderName(k);
      validateHeaderValue(k, v);
    } catch {
      return undefined;
    }
    lines.push(`${k}: ${v}`);
  }
  lines.push(`range: bytes=${start}-${start + length - 1}`, "", "");
  return lines.join("\r\n");
}

/** plainHead parses a response head, or undefined when it is not valid HTTP/1.1. */
function plainHead(text: string): ResponseHead | undefined {
  try {
    return parseHead(text);
  } catch (err) {
    if (err instanceof ProtocolError) return undefined;
    throw err;
  }
}

/** keepsAlive tells whether the connection may carry another request after this response. */
function keepsAlive(head: ResponseHead): boolean {
  const connection = listTokens(values(head.raw, "connection"));
  return head.minor === 1 ? !connection.includes("close") : connection.includes("keep-alive");
}

/**
 * readRangeRaw fetches bytes [start, start+length) of a plain-http source over a kept-alive TCP
 * connection whose reads land straight in 1 MiB staging buffers handed to `sink` (node:http would
 * copy every chunk out of its parser and allocate it anew, which costs as much CPU as the rest of
 * the piece path). Only a plain answer is taken: 206 (or 200 for the whole content) with a
 * Content-Length of exactly the range and no transfer coding; anything else rejects with
 * NotPlainRange before a body byte reaches the sink, and the caller uses node:http. Resolves
 * with the response head when the last byte was handed over; rejects with a retryable error if
 * the connection drops.
 */
export function readRangeRaw(
  req: SourceRequest,
  start: number,
  length: number,
  total: number,
  sink: RangeSink,
): Promise<ResponseHead> {
  const url = new URL(req.url);
  const head = rawRequestHead(req, url, start, length);
  if (head === undefined) return Promise.reject(new NotPlainRange("not a plain http request"));
  const key = `${url.hostname}:${url.port || 80}`;
  const reused = takeIdle(key);
  const fresh = () =>
    exchange(dial(url, key), req, head, start, length, total, sink).catch((err: unknown) => {
      if (err instanceof StaleConnection) throw new NotPlainRange(err.message, false);
      throw err;
    });
  if (!reused) return fresh();
  // A kept-alive connection the origin closed meanwhile fails before any answer: try a new one.
  return exchange(reused, req, head, start, length, total, sink).catch((err: unknown) => {
    if (err instanceof StaleConnection) return fresh();
    throw err;
  });
}

class StaleConnection extends Error {}

function exchange(
  conn: Conn,
  req: SourceRequest,
  requestHead: string,
  start: number,
  length: number,
  total: number,
  sink: RangeSink,
): Promise<ResponseHead> {
  return new Promise<ResponseHead>((resolve, reject) => {
    const { socket } = conn;
    let stage: Buffer | undefined = takeStage();
    let fill = 0;
    let head: ResponseHead | undefined;
    let left = length;
    let answered = false;
    let settled = false;
    const signal = req.signal;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      socket.setTimeout(0);
      if (stage) releaseStage(stage);
      stage = undefined;
      if (err) {
        socket.destroy();
        reject(err);
      } else {
        if (head && keepsAlive(head)) keepIdle(conn);
        else socket.destroy();
        if (head) resolve(head);
        else reject(new NotPlainRange("the answer had no head"));
      }
    };
    const onAbort = () => finish(new DfError(ErrorCode.Timeout, "download cancelled or timed out"));
    const dropped = (why: string) =>
      answered
        ? new DfError(
            ErrorCode.SourceError,
            `source ${redactUrl(req.url)} dropped the connection after ${length - left} of ${length} bytes: ${why}`,
            { retryable: true },
          )
        : new StaleConnection(why);
    sink.onDrain = () => {
      if (!settled) socket.resume();
    };
    /** onHead parses the head once it is whole; the body bytes read with it move to the front. */
    const onHead = (buf: Buffer): boolean => {
      const end = buf.subarray(0, fill).indexOf("\r\n\r\n");
      if (end < 0) {
        if (fill >= MAX_HEAD_BYTES) finish(new NotPlainRange("response head too large"));
        return false;
      }
      head = plainHead(buf.toString("latin1", 0, end));
      const one = (name: string) => {
        const v = head ? values(head.raw, name) : [];
        return v.length === 1 ? v[0] : undefined;
      };
      const whole = head?.status === 200 && start === 0 && length === total;
      const plain =
        head &&
        (whole ||
          (head.status === 206 && (one("content-range") ?? "").startsWith(`bytes ${start}-`))) &&
        values(head.raw, "transfer-encoding").length === 0 &&
        one("content-length") === String(length);
      if (!plain) {
        finish(
          new NotPlainRange(
            `source answered ${head?.status ?? "something else than HTTP"}`,
            true,
            head,
          ),
        );
        return false;
      }
      buf.copy(buf, 0, end + 4, fill);
      fill -= end + 4;
      if (head) sink.head?.(head);
      return true;
    };
    conn.target = stage;
    conn.onRead = (n: number, buf: Uint8Array) => {
      if (settled || !stage) return;
      answered = true;
      // The socket picks its next buffer when a read completes, so the first read of an exchange
      // may still land in the buffer of the one before (the idle scratch): move it into place.
      if (buf.buffer !== stage.buffer || buf.byteOffset !== stage.byteOffset + fill) {
        if (n > stage.length - fill) return finish(dropped("read larger than the stage"));
        stage.set(buf.subarray(0, n), fill);
      }
      fill += n;
      let got = n;
      if (!head) {
        if (!onHead(stage)) {
          if (!settled) conn.target = stage.subarray(fill);
          return;
        }
        got = fill;
      }
      if (got > left) return finish(dropped("more bytes than the range"));
      left -= got;
      if (got > 0) sink.peek?.(stage.subarray(fill - got, fill));
      if (left === 0 || fill === STAGE_BYTES) {
        const full = stage.subarray(0, fill);
        stage = left === 0 ? undefined : takeStage();
        fill = 0;
        let more: boolean;
        try {
          more = sink.write(full);
        } catch (err) {
          return finish(err);
        }
        if (left === 0) return finish();
        if (!more) socket.pause();
      }
      if (stage) conn.target = stage.subarray(fill);
    };
    conn.onIdleTimeout = () =>
      finish(
        new DfError(
          ErrorCode.Timeout,
          `source ${redactUrl(req.url)} sent nothing for ${SOURCE_IDLE_TIMEOUT_MS} ms`,
        ),
      );
    conn.onGone = (why) => finish(dropped(why));
    socket.setTimeout(SOURCE_IDLE_TIMEOUT_MS);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.resume();
    socket.write(requestHead);
  });
}
