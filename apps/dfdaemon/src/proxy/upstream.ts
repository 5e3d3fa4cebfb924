import {
  validateHeaderName,
  validateHeaderValue,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { connect as netConnect, isIP, type OnReadOpts, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions } from "node:tls";

import { DfError, ErrorCode } from "@df/errors";

import { redactUrl } from "../backend/http-source";
import { BufferPool } from "../io/buffer-pool";
import { DF_HEADER, endToEndRaw, upstreamHeaders } from "./headers";
import {
  ChunkedDecoder,
  MAX_HEAD,
  ProtocolError,
  framingOf,
  headEnd,
  listTokens,
  parseHead,
  values,
  type Framing,
  type ResponseHead,
} from "../backend/http1";

/**
 * The raw pass-through client: body-less requests go upstream over our own HTTP/1.1 connections,
 * read into large reused buffers (`onread`), and each body slice is written to the client as is.
 * node:http's client reads 64 KiB at a time and copies every body chunk into a fresh allocation,
 * which on a busy link costs more CPU than the transfer itself (allocator churn, page faults, GC).
 */

/** FREE_BUFFERS caps the read buffers kept for reuse, per size. */
const FREE_BUFFERS = 8;
/** IDLE_MS is how long a kept-alive connection waits for its next request (below Node's 5 s). */
const IDLE_MS = 4_000;
/** IDLE_PER_ORIGIN caps the kept-alive connections per upstream origin. */
const IDLE_PER_ORIGIN = 4;
/** IDEMPOTENT methods are retried once on a fresh connection when a reused one was stale. */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "DELETE", "PUT"]);

/** plainBuffers serve TCP reads: 1 MiB, as much as loopback or a fast link has ready. */
const plainBuffers = new BufferPool(1 << 20, FREE_BUFFERS);
/** tlsBuffers serve TLS reads, which yield one record (at most 16 KiB) at a time. */
const tlsBuffers = new BufferPool(64 * 1024, FREE_BUFFERS);

/** Reader is what owns a connection's reads during an exchange. */
interface Reader {
  /** data gets bytes in a read buffer; `release` hands the buffer back once they are written. */
  data(chunk: Buffer, release: () => void): void;
  /** end reports the connection's end: a clean EOF, or an error. */
  end(err?: Error): void;
}

/** idle holds kept-alive connections per origin key, most recently parked last. */
const idle = new Map<string, Conn[]>();

/** Conn is one upstream connection, plain or TLS (verified unless `insecure`). */
class Conn {
  readonly socket: Socket;
  /** reused is true once the connection has carried a whole exchange. */
  reused = false;
  private reader: Reader | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly key: string,
    target: URL,
    insecure: boolean,
  ) {
    const host = target.hostname.replace(/^\[|\]$/g, "");
    const port = Number(target.port) || (target.protocol === "https:" ? 443 : 80);
    const tls = target.protocol === "https:";
    const pool = tls ? tlsBuffers : plainBuffers;
    const onread: OnReadOpts = {
      buffer: pool.take,
      callback: (n, buf) => {
        this.onRead(n, buf as Buffer, pool);
        return true;
      },
    };
    const servername = isIP(host) ? undefined : host;
    // tls.connect takes `onread` as net.connect does; @types/node does not list it.
    const opts: ConnectionOptions & { onread: OnReadOpts } = {
      host,
      port,
      servername,
      rejectUnauthorized: !insecure,
      onread,
    };
    this.socket = tls ? tlsConnect(opts) : netConnect({ host, port, onread });
    this.socket.setNoDelay(true);
    this.socket.on("error", (err) => this.closed(err));
    this.socket.on("end", () => this.closed());
    this.socket.on("close", () => this.closed());
  }

  /** attach gives the connection's reads to `reader` and sends the request head. */
  attach(reader: Reader, head: string): void {
    this.reader = reader;
    this.socket.write(head, "latin1");
  }

  /** abort drops `reader`'s exchange (the client went away), unless it has already ended. */
  abort(reader: Reader): void {
    if (this.reader !== reader) return;
    this.reader = undefined;
    this.socket.destroy();
  }

  /** release ends the exchange: the connection is parked for reuse when `keep`, else closed. */
  release(keep: boolean): void {
    this.reader = undefined;
    const list = idle.get(this.key) ?? [];
    if (!keep || this.socket.destroyed || list.length >= IDLE_PER_ORIGIN) {
      this.socket.destroy();
      return;
    }
    this.reused = true;
    list.push(this);
    idle.set(this.key, list);
    this.timer = setTimeout(() => this.socket.destroy(), IDLE_MS).unref();
    this.socket.unref();
  }

  /** unpark takes the connection off the idle list; false when it was not there. */
  unpark(): boolean {
    clearTimeout(this.timer);
    const list = idle.get(this.key);
    const i = list?.indexOf(this) ?? -1;
    if (i < 0) return false;
    list?.splice(i, 1);
    if (list?.length === 0) idle.delete(this.key);
    this.socket.ref();
    return true;
  }

  private onRead(n: number, buf: Buffer, pool: BufferPool): void {
    const release = () => pool.give(buf);
    if (this.reader) return this.reader.data(buf.subarray(0, n), release);
    // Bytes on an idle connection belong to no request: the connection cannot be trusted.
    release();
    this.socket.destroy();
  }

  private closed(err?: Error): void {
    this.unpark();
    const r = this.reader;
    this.reader = undefined;
    r?.end(err);
  }
}

/** takeIdle returns a parked, still open connection to `key`, if any. */
function takeIdle(key: string): Conn | undefined {
  for (let c = idle.get(key)?.at(-1); c; c = idle.get(key)?.at(-1)) {
    c.unpark();
    if (!c.socket.destroyed && c.socket.readyState === "open") return c;
    c.socket.destroy();
  }
  return undefined;
}

/**
 * Exchange reads one response off a connection and streams it into `res`: the head, then the
 * body by its framing. `settle` is called once: without an error when the response ended, or
 * with one and whether a retry on a fresh connection is safe (nothing was read off a reused one).
 */
class Exchange implements Reader {
  private pending: Buffer | undefined;
  private head: ResponseHead | undefined;
  private framing: Framing = { kind: "none" };
  private left = 0;
  private chunks = new ChunkedDecoder();
  private got = false;
  private over = false;
  private paused = false;

  constructor(
    private readonly conn: Conn,
    private readonly method: string,
    private readonly res: ServerResponse,
    private readonly settle: (err?: Error, retry?: boolean) => void,
  ) {}

  data(chunk: Buffer, release: () => void): void {
    this.got = true;
    try {
      this.consume(chunk, release);
    } catch (err) {
      this.fail(err as Error);
    }
  }

  end(err?: Error): void {
    if (this.over) return;
    if (!err && this.head && this.framing.kind === "close") return this.complete(false);
    this.fail(err ?? new Error("connection closed before the response ended"));
  }

  private consume(chunk: Buffer, release: () => void): void {
    if (this.head) return this.body(chunk, release);
    const all = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const end = headEnd(all.subarray(0, MAX_HEAD + 4));
    if (end < 0) {
      if (all.length > MAX_HEAD) throw new ProtocolError("response header section too large");
      this.pending = Buffer.from(all);
      return release();
    }
    this.pending = undefined;
    const head = parseHead(all.toString("latin1", 0, end - 4));
    if (head.status === 101) throw new ProtocolError("unexpected 101 Switching Protocols");
    // 100 Continue, 103 Early Hints: informational, the final response follows.
    if (head.status < 200) return this.consume(all.subarray(end), release);
    this.start(head);
    this.body(all.subarray(end), release);
  }

  private start(head: ResponseHead): void {
    this.head = head;
    this.framing = framingOf(this.method, head);
    if (this.framing.kind === "length") this.left = this.framing.length;
    // A transfer coding is undone here; Node frames the decoded body to the client itself.
    const coded = values(head.raw, "transfer-encoding").length > 0;
    this.res.writeHead(head.status, head.reason, [
      ...endToEndRaw(head.raw, coded),
      DF_HEADER.via,
      "source",
    ]);
  }

  private body(chunk: Buffer, release: () => void): void {
    let slices: Buffer[] = [chunk];
    let used = chunk.length;
    let complete = false;
    if (this.framing.kind === "none") {
      [slices, used, complete] = [[], 0, true];
    } else if (this.framing.kind === "length") {
      used = Math.min(this.left, chunk.length);
      slices = [chunk.subarray(0, used)];
      this.left -= used;
      complete = this.left === 0;
    } else if (this.framing.kind === "chunked") {
      ({ slices, used } = this.chunks.push(chunk));
      complete = this.chunks.done;
    }
    this.write(slices, release);
    // Bytes past the end of the response make the connection unfit for another request.
    if (complete) this.complete(used === chunk.length);
  }

  /** write sends slices of one read buffer in order; the last write's callback releases it. */
  private write(slices: Buffer[], release: () => void): void {
    const parts = slices.filter((s) => s.length > 0);
    if (parts.length === 0) return release();
    let ok = true;
    parts.forEach((p, i) => {
      ok = this.res.write(p, i === parts.length - 1 ? release : undefined);
    });
    if (ok || this.paused) return;
    this.paused = true;
    this.conn.socket.pause();
    this.res.once("drain", () => this.resume());
  }

  private resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.conn.socket.resume();
  }

  private complete(clean: boolean): void {
    this.over = true;
    const h = this.head as ResponseHead;
    const keep =
      clean &&
      h.minor === 1 &&
      this.framing.kind !== "close" &&
      !listTokens(values(h.raw, "connection")).includes("close");
    this.resume();
    this.res.end();
    this.conn.release(keep);
    this.settle();
  }

  private fail(err: Error): void {
    if (this.over) return;
    this.over = true;
    this.conn.release(false);
    this.settle(err, this.conn.reused && !this.got);
  }
}

/** requestHead serializes the request line and end-to-end headers for `target`. */
function requestHead(req: IncomingMessage, target: URL): string {
  const lines = [`${req.method ?? "GET"} ${target.pathname}${target.search} HTTP/1.1`];
  lines.push(`host: ${target.host}`);
  for (const [k, v] of Object.entries(upstreamHeaders(req.headers))) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [String(v)]) {
      validateHeaderName(k);
      validateHeaderValue(k, one);
      lines.push(`${k}: ${one}`);
    }
  }
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/** hasBody tells whether a request carries a body (then node:http forwards it). */
export function hasBody(req: IncomingMessage): boolean {
  const cl = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (cl !== undefined && cl !== "0");
}

/**
 * rawPassThrough forwards a body-less request to `target` on a kept-alive raw connection and
 * streams the answer back with its status and end-to-end headers, plus `X-Dragonfly-Via: source`.
 * Resolves when the answer is fully sent (or the client went away).
 */
export function rawPassThrough(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  insecure: boolean,
): Promise<void> {
  const method = req.method ?? "GET";
  const head = requestHead(req, target);
  const key = `${target.protocol}//${target.host}${insecure ? " insecure" : ""}`;
  req.resume();
  return new Promise((resolve, reject) => {
    let current: { conn: Conn; exchange: Exchange } | undefined;
    res.once("finish", () => resolve());
    res.once("close", () => {
      if (!res.writableFinished) current?.conn.abort(current.exchange);
      resolve();
    });
    const attempt = (fresh: boolean) => {
      const conn = (fresh ? undefined : takeIdle(key)) ?? new Conn(key, target, insecure);
      const exchange = new Exchange(conn, method, res, (err, retry) => {
        if (!err) return;
        if (retry && IDEMPOTENT.has(method)) return attempt(true);
        if (res.headersSent) return reject(err);
        const why = err instanceof ProtocolError ? "answered badly" : "unreachable";
        const msg = `upstream ${redactUrl(target.href)} ${why}: ${err.message}`;
        reject(new DfError(ErrorCode.SourceError, msg, {}, err));
      });
      current = { conn, exchange };
      conn.attach(exchange, head);
    };
    attempt(false);
  });
}
