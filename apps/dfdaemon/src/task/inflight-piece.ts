import { BufferPool } from "../io/buffer-pool";
import type { PieceSpan } from "./pieces";

/**
 * KEEP_BUDGET bounds the memory all pieces kept for followers hold at once, per daemon. A piece
 * that does not fit is passed on once stored, as before cut-through: large pieces are never
 * buffered whole beyond this.
 */
export const KEEP_BUDGET = 64 * 1024 * 1024;
let kept = 0;

/**
 * POOL_BYTES bounds the spare piece buffers kept for reuse, per piece length: a fresh 1 MiB
 * buffer per piece per peer (external memory) drove V8 into frequent major collections.
 */
const POOL_BYTES = 16 * 1024 * 1024;
const pools = new Map<number, BufferPool>();

function poolFor(length: number): BufferPool {
  let pool = pools.get(length);
  if (!pool) pools.set(length, (pool = new BufferPool(length, Math.floor(POOL_BYTES / length))));
  return pool;
}

/**
 * InflightPiece is a piece this peer is receiving from a parent. While KEEP_BUDGET allows, its
 * bytes are kept in memory as they arrive so that children can be sent them at once
 * (cut-through) instead of one whole piece later per hop of the swarm. Its
 * bytes can be sent on only with the digest the piece must have; the last byte is held back until
 * this peer has checked the whole piece against that digest, so a child never receives a complete
 * piece that failed here: it sees the answer cut short instead.
 *
 * Bytes are only appended: a view handed out (sendable) never changes while the follower holds
 * the piece (`hold` … `release`). The buffer is recycled once the piece is retired (stored or
 * given up, no longer offered to followers) and the last follower has released it cleanly.
 */
export class InflightPiece {
  /** digest is what the piece must hash to, once known (from the parent). */
  digest: string | undefined;
  private buf: Buffer | undefined;
  private received = 0;
  private state: "receiving" | "verified" | "failed" = "receiving";
  private waiters: Array<() => void> = [];
  private holders = 0;
  private retired = false;
  /** dirty is set when a follower stopped with writes maybe still queued on its socket. */
  private dirty = false;

  /** `keep` false (no child follows this peer) keeps nothing: no copy, no allocation. */
  constructor(
    readonly span: PieceSpan,
    keep = true,
  ) {
    if (keep && kept + span.length <= KEEP_BUDGET) {
      kept += span.length;
      this.buf = poolFor(span.length).take();
    }
  }

  /** kept tells whether the bytes are kept, so a child can follow the piece as it arrives. */
  get kept(): boolean {
    return this.buf !== undefined && this.state !== "failed";
  }

  /** setDigest records the digest the piece must have, and wakes followers waiting for it. */
  setDigest(digest: string): void {
    if (this.digest || !digest) return;
    this.digest = digest;
    this.wake();
  }

  /** push appends bytes as they arrive (copied when kept: the caller may reuse its buffer). */
  push(bytes: Uint8Array): void {
    if (this.state !== "receiving") return;
    if (this.received + bytes.length > this.span.length) {
      this.fail();
      return;
    }
    this.buf?.set(bytes, this.received);
    this.received += bytes.length;
    if (this.buf) this.wake();
  }

  /** verify marks the piece checked: its last byte may go out. */
  verify(): void {
    if (this.state !== "receiving") return;
    this.settle(this.received === this.span.length ? "verified" : "failed");
  }

  /** fail marks the piece lost here: followers cut their answers short. */
  fail(): void {
    if (this.state !== "receiving") return;
    this.settle("failed");
  }

  get failed(): boolean {
    return this.state === "failed";
  }

  /**
   * sendable is the view of the bytes after `sent` that may go out now: everything received,
   * less the piece's last byte until the piece is verified. Empty when nothing new may go yet.
   */
  sendable(sent: number): Buffer {
    const buf = this.buf;
    if (!buf || this.state === "failed" || !this.digest) return Buffer.alloc(0);
    const end =
      this.state === "verified" ? this.span.length : Math.min(this.received, this.span.length - 1);
    return buf.subarray(sent, Math.max(sent, end));
  }

  /**
   * hold marks a follower sending the bytes, so the buffer is not recycled under it; false when
   * the bytes are not kept (or no longer: the piece was retired), and the follower must not use it.
   */
  hold(): boolean {
    if (!this.kept || this.retired) return false;
    this.holders += 1;
    return true;
  }

  /** release ends a hold; `clean` false means the socket may still hold views of the bytes. */
  release(clean: boolean): void {
    this.holders -= 1;
    if (!clean) this.dirty = true;
    this.recycle();
  }

  /** retire takes the piece out of service (stored, or its fetch ended); unverified, it fails. */
  retire(): void {
    this.fail();
    this.retired = true;
    this.recycle();
  }

  /** changed resolves at the next news: bytes, the digest, verification or failure. */
  changed(): Promise<void> {
    if (this.state !== "receiving") return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private settle(state: "verified" | "failed"): void {
    this.state = state;
    // The budget is given back when the piece settles; followers still sending hold the buffer
    // a moment longer, until their last write.
    if (this.buf) kept -= this.span.length;
    this.wake();
  }

  private recycle(): void {
    if (!this.retired || this.holders > 0 || !this.buf) return;
    if (!this.dirty) poolFor(this.span.length).give(this.buf);
    this.buf = undefined;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
