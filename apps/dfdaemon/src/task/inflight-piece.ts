import type { PieceSpan } from "./pieces";

/**
 * KEEP_BUDGET bounds the memory all pieces kept for followers hold at once, per daemon. A piece
 * that does not fit is passed on once stored, as before cut-through: large pieces are never
 * buffered whole beyond this.
 */
export const KEEP_BUDGET = 64 * 1024 * 1024;
let kept = 0;

/**
 * InflightPiece is a piece this peer is receiving from a parent. While KEEP_BUDGET allows, its
 * bytes are kept in memory as they arrive so that children can be sent them at once
 * (cut-through) instead of one whole piece later per hop of the swarm. Its
 * bytes can be sent on only with the digest the piece must have; the last byte is held back until
 * this peer has checked the whole piece against that digest, so a child never receives a complete
 * piece that failed here: it sees the answer cut short instead.
 *
 * Bytes are only appended: a view handed out (sendable) never changes afterwards, so a socket may
 * hold it for as long as it needs.
 */
export class InflightPiece {
  /** digest is what the piece must hash to, once known (from the parent). */
  digest: string | undefined;
  private buf: Buffer | undefined;
  private received = 0;
  private state: "receiving" | "verified" | "failed" = "receiving";
  private waiters: Array<() => void> = [];

  /** `keep` false (no child follows this peer) keeps nothing: no copy, no allocation. */
  constructor(
    readonly span: PieceSpan,
    keep = true,
  ) {
    if (keep && kept + span.length <= KEEP_BUDGET) {
      kept += span.length;
      this.buf = Buffer.allocUnsafeSlow(span.length);
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

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
