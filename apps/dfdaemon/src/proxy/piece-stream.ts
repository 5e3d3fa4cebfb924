import { createReadStream } from "node:fs";
import type { ServerResponse } from "node:http";

import { DfError, ErrorCode } from "@df/errors";

import { createHasher, parseDigest, type DigestHasher } from "../task/digest";
import type { PieceSpan } from "../task/pieces";

/** PieceStreamOptions describe what to send: which pieces, which bytes of them, and from where. */
export interface PieceStreamOptions {
  res: ServerResponse;
  /** contentPath is read when the first piece is sent (the task exists by then). */
  contentPath: () => string;
  pieces: PieceSpan[];
  /** start and end (exclusive) clip the pieces to the requested bytes. */
  start: number;
  end: number;
  /** writeHead sends the status and headers, once, just before the first byte. */
  writeHead: () => void;
  /** digest (`sha256:<hex>`) is verified over the whole content before its last byte goes out. */
  digest?: string | undefined;
}

/** drained waits for the response to take more bytes, failing if the client goes away. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error("client closed the connection"));
    res.on("drain", onDrain);
    res.on("close", onClose);
  });
}

/**
 * PieceStream sends a task's bytes as its pieces land: pieces finish in any order, and each one is
 * read from the content file and written as soon as every piece before it has been. Nothing is
 * buffered beyond the file stream's chunk. With a digest, the last piece is hashed before it is
 * sent, so a client never receives a complete body with the wrong bytes.
 */
export class PieceStream {
  /** done settles when the response is fully written, or fails. */
  readonly done: Promise<void>;
  private readonly ready = new Set<number>();
  private next = 0;
  private pumping = false;
  private settled = false;
  private readonly hasher: DigestHasher | undefined;
  private readonly expected: string;
  private resolve: () => void = () => {};
  private reject: (err: unknown) => void = () => {};

  constructor(private readonly o: PieceStreamOptions) {
    const digest = o.digest ? parseDigest(o.digest) : undefined;
    this.hasher = digest ? createHasher(digest.algorithm) : undefined;
    this.expected = digest ? `${digest.algorithm}:${digest.value}` : "";
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.done.catch(() => {});
  }

  /** add marks a piece as stored and sends whatever has become sendable. */
  add(piece: number): void {
    this.ready.add(piece);
    void this.pump();
  }

  /** finish sends what is left once the download has succeeded (every piece is stored). */
  finish(): Promise<void> {
    for (const p of this.o.pieces) this.ready.add(p.number);
    void this.pump();
    return this.done;
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.settled) return;
    this.pumping = true;
    try {
      const { pieces } = this.o;
      while (this.next < pieces.length && this.ready.has(pieces[this.next]?.number ?? -1)) {
        const piece = pieces[this.next];
        if (!piece) break;
        if (this.next === 0) this.o.writeHead();
        await this.send(piece, this.next === pieces.length - 1);
        this.next++;
      }
      if (this.next === pieces.length) {
        if (pieces.length === 0) {
          this.o.writeHead();
          if (this.hasher) this.verify(this.hasher.digest());
        }
        this.settled = true;
        this.o.res.end();
        this.resolve();
      }
    } catch (err) {
      this.settled = true;
      this.reject(err);
    } finally {
      this.pumping = false;
    }
  }

  private async send(piece: PieceSpan, last: boolean): Promise<void> {
    const from = Math.max(piece.offset, this.o.start);
    const to = Math.min(piece.offset + piece.length, this.o.end);
    if (to <= from) return;
    const path = this.o.contentPath();
    if (last && this.hasher) {
      for await (const c of createReadStream(path, { start: from, end: to - 1 }))
        this.hasher.update(c as Buffer);
      this.verify(this.hasher.digest());
    }
    const res = this.o.res;
    for await (const chunk of createReadStream(path, {
      start: from,
      end: to - 1,
      highWaterMark: 1 << 20,
    })) {
      if (res.destroyed) throw new Error("client closed the connection");
      if (this.hasher && !last) this.hasher.update(chunk as Buffer);
      if (!res.write(chunk)) await drained(res);
    }
  }

  private verify(actual: string): void {
    const expected = this.expected;
    if (actual !== expected) {
      throw new DfError(
        ErrorCode.DigestMismatch,
        `digest mismatch: expected ${expected}, got ${actual}`,
        {
          expected,
          actual,
        },
      );
    }
  }
}
