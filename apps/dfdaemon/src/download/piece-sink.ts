import { writev } from "node:fs";

import { DfError, ErrorCode } from "@df/errors";

import type { ResponseHead } from "../backend/http1";
import { leaseContent, type ContentLease } from "../storage/content-fds";
import { crc32 } from "../task/crc32";
import type { InflightPiece } from "../task/inflight-piece";
import type { PieceSpan } from "../task/pieces";
import { inLane } from "./write-lane";

/** WRITE_BATCH is the size at which queued chunks go to disk in one positioned writev. */
export const WRITE_BATCH = 1 << 20;
/** SINK_HIGH_WATER is the queued size past which the feeder is asked to pause. */
const SINK_HIGH_WATER = 2 * WRITE_BATCH;

/** WrittenPiece is what writing a piece's bytes produced. */
export interface WrittenPiece {
  /** digest is `crc32:<decimal>` of the bytes written. */
  digest: string;
  bytes: number;
}

/**
 * PieceSink takes a piece's bytes in order and writes them at the piece's offset of the content
 * file with positioned writev calls of about WRITE_BATCH bytes, one at a time, digesting on the
 * way; the writes of all pieces of one file take turns (write-lane.ts). It replaces a Transform
 * tap plus a WriteStream: no per-chunk stream machinery, and each disk write carries many network
 * chunks. `write` returning false asks the feeder to pause until
 * `onDrain`; `release` gets each chunk back once it is on disk (so callers can reuse buffers).
 */
export class PieceSink {
  private crc = 0;
  private received = 0;
  private position: number;
  private queue: Buffer[] = [];
  private queued = 0;
  private writing: Promise<void> | undefined;
  private failure: unknown;
  private starved = false;
  /** peeked is true once bytes reach the tap through `peek` (the raw path) rather than `write`. */
  private peeked = false;

  private constructor(
    private readonly lease: ContentLease,
    private readonly path: string,
    private readonly span: PieceSpan,
    private readonly release?: (chunk: Buffer) => void,
    private readonly tap?: InflightPiece,
  ) {
    this.position = span.offset;
  }

  /** head, when set, sees the answer's head on the raw path (see RangeSink). */
  head?: (head: ResponseHead) => void;

  /** onDrain is called when a paused feeder may go on. */
  onDrain: () => void = () => undefined;

  /** open leases the content file's shared descriptor for the piece's writes. */
  static async open(
    contentPath: string,
    span: PieceSpan,
    release?: (chunk: Buffer) => void,
    tap?: InflightPiece,
  ): Promise<PieceSink> {
    return new PieceSink(await leaseContent(contentPath), contentPath, span, release, tap);
  }

  /** peek hands bytes to the tap as they land, ahead of their staging batch (see RangeSink). */
  peek(bytes: Buffer): void {
    this.peeked = true;
    this.tap?.push(bytes);
  }

  /** received is the number of bytes taken so far. */
  get bytes(): number {
    return this.received;
  }

  /** write takes the next chunk; false means "pause until onDrain". Throws past the piece end. */
  write(chunk: Buffer): boolean {
    if (this.failure) throw this.failure;
    this.received += chunk.length;
    if (this.received > this.span.length) {
      throw new DfError(
        ErrorCode.SourceError,
        `piece ${this.span.number} got more than its ${this.span.length} bytes`,
      );
    }
    this.crc = crc32(chunk, this.crc);
    if (this.tap) {
      if (!this.peeked) this.tap.push(chunk);
      // Children following the piece get its last byte once its digest checks out here, without
      // waiting for the disk: the bytes they were sent are what was checked.
      if (this.received === this.span.length && this.tap.digest) {
        if (this.tap.digest === `crc32:${this.crc >>> 0}`) this.tap.verify();
        else this.tap.fail();
      }
    }
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (!this.writing && this.queued >= WRITE_BATCH) this.startWrite();
    if (this.queued < SINK_HIGH_WATER) return true;
    this.starved = true;
    return false;
  }

  private startWrite(): void {
    const chunks = this.queue;
    const at = this.position;
    this.position += this.queued;
    this.queue = [];
    this.queued = 0;
    this.writing = inLane(this.path, () => writeAll(this.lease.fd, chunks, at)).then(
      () => {
        if (this.release) for (const c of chunks) this.release(c);
        this.writing = undefined;
        if (this.queued >= WRITE_BATCH) this.startWrite();
        if (this.starved && this.queued < SINK_HIGH_WATER) {
          this.starved = false;
          this.onDrain();
        }
      },
      (err: unknown) => {
        this.failure = err;
        this.writing = undefined;
        if (this.starved) this.onDrain();
      },
    );
  }

  /** end writes what is queued, checks the length and returns the piece's digest. */
  async end(expectedDigest?: string): Promise<WrittenPiece> {
    while (this.writing || this.queued > 0) {
      if (this.failure) break;
      if (this.writing) await this.writing;
      else this.startWrite();
    }
    if (this.failure) throw this.failure;
    if (this.received !== this.span.length) {
      throw new DfError(
        ErrorCode.SourceError,
        `piece ${this.span.number} ended after ${this.received} of ${this.span.length} bytes`,
        { retryable: true },
      );
    }
    const digest = `crc32:${this.crc >>> 0}`;
    if (expectedDigest && expectedDigest !== digest) {
      throw new DfError(
        ErrorCode.DigestMismatch,
        `piece ${this.span.number} digest ${digest} does not match ${expectedDigest}`,
        { expected: expectedDigest, actual: digest, piece: this.span.number },
      );
    }
    return { digest, bytes: this.received };
  }

  /** close waits for a running write and releases the file; call it once, success or not. */
  async close(): Promise<void> {
    while (this.writing) await this.writing.catch(() => undefined);
    this.lease.release();
  }
}

/** writeAll writes every chunk at `position`, going on after a short write. */
async function writeAll(fd: number, chunks: Buffer[], position: number): Promise<void> {
  let rest = chunks;
  let at = position;
  while (rest.length > 0) {
    const n = await new Promise<number>((resolve, reject) =>
      writev(fd, rest, at, (err, written) => (err ? reject(err) : resolve(written))),
    );
    if (n <= 0) throw new DfError(ErrorCode.Internal, `writing the content file wrote ${n} bytes`);
    at += n;
    let skip = n;
    const left: Buffer[] = [];
    for (const c of rest) {
      if (skip >= c.length) skip -= c.length;
      else {
        left.push(skip > 0 ? c.subarray(skip) : c);
        skip = 0;
      }
    }
    rest = left;
  }
}
