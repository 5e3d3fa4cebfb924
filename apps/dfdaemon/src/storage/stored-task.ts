import { EventEmitter } from "node:events";
import { fdatasync } from "node:fs";
import { promisify } from "node:util";

import { InflightPiece } from "../task/inflight-piece";
import { pieceCount, type PieceSpan } from "../task/pieces";
import { leaseContent } from "./content-fds";
import { Journal } from "./journal";
import type { PieceMeta, TaskMeta } from "./types";

const syncData = promisify(fdatasync);

/** FLUSH_DELAY_MS batches piece journal lines. */
const FLUSH_DELAY_MS = 1000;
/**
 * SEAL_DELAY_MS is how long journaled pieces wait for their seal. By then the kernel's own
 * writeback (dirty pages expire after 30 s) has usually written them, so the sync is cheap.
 */
export const SEAL_DELAY_MS = 40_000;

/**
 * StoredTask is one task in storage: metadata, finished pieces and a notifier. A finished piece is
 * visible at once to readers in this process and is journaled within a second, without waiting
 * for the disk; a seal (content synced, then a seal line) follows some seconds later and at close.
 * Pieces journaled after the last seal are checked against their digests at open (see Storage),
 * so after any crash the journal never vouches for bytes that are not on disk.
 */
export class StoredTask {
  readonly pieces = new Map<number, PieceMeta>();
  /** inflight holds the pieces being received from parents, which children may follow. */
  readonly inflight = new Map<number, InflightPiece>();
  /** active counts downloads and uploads in progress; GC never evicts an active task. */
  active = 0;
  private readonly events = new EventEmitter();
  private pending: PieceMeta[] = [];
  private flushing: Promise<void> | undefined;
  /** saving is the chain of metadata writes, awaited by close. */
  private saving: Promise<void> = Promise.resolve();
  private gone = false;
  private timer: NodeJS.Timeout | undefined;
  private sealTimer: NodeJS.Timeout | undefined;
  /** unsealed is true while the journal holds piece lines after its last seal. */
  private unsealed = false;
  private readonly journal: Journal;

  constructor(
    public meta: TaskMeta,
    readonly contentPath: string,
    journalPath: string,
    private readonly saveMeta: (meta: TaskMeta) => Promise<void>,
  ) {
    this.journal = new Journal(journalPath);
    this.events.setMaxListeners(0);
  }

  /** pieceCount is the number of pieces of the whole content. */
  get pieceCount(): number {
    return pieceCount(this.meta.contentLength, this.meta.pieceLength);
  }

  /** isFinished tells whether every piece is stored. */
  get isFinished(): boolean {
    return this.pieces.size === this.pieceCount;
  }

  /** finishedBytes sums the lengths of stored pieces. */
  get finishedBytes(): number {
    let n = 0;
    for (const p of this.pieces.values()) n += p.length;
    return n;
  }

  /** downloadPieceFinished records a piece whose bytes are written and notifies waiters. */
  downloadPieceFinished(piece: PieceMeta): void {
    if (this.pieces.has(piece.number)) return;
    this.pieces.set(piece.number, piece);
    this.pending.push(piece);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
    this.events.emit("piece", piece);
  }

  /**
   * deleted marks the task gone from storage and tells its listeners (see onDeleted): no journal
   * line or metadata is written for it from now on, so files removed after `close` stay removed.
   */
  deleted(): void {
    this.gone = true;
    this.pending = [];
    clearTimeout(this.timer);
    clearTimeout(this.sealTimer);
    this.events.emit("deleted");
  }

  /** onDeleted subscribes to the task's removal; the returned function unsubscribes. */
  onDeleted(listener: () => void): () => void {
    this.events.once("deleted", listener);
    return () => this.events.off("deleted", listener);
  }

  /**
   * receiving registers a piece being received from a parent, so the piece server can pass its
   * bytes on as they arrive, and tells onInflight listeners; `done` unregisters and retires it
   * (failing it unless it was verified).
   */
  receiving(span: PieceSpan): { piece: InflightPiece; done: () => void } {
    // Kept in memory only while a child syncs with or waits on this task here: a peer that
    // nobody downloads from pays no copy per byte.
    const piece = new InflightPiece(span, this.events.listenerCount("piece") > 0);
    this.inflight.set(span.number, piece);
    this.events.emit("inflight", piece);
    return {
      piece,
      done: () => {
        if (this.inflight.get(span.number) === piece) this.inflight.delete(span.number);
        piece.retire(); // fails it unless verified; its buffer is recycled once followers are done
      },
    };
  }

  /** onInflight subscribes to pieces that start arriving; the returned function unsubscribes. */
  onInflight(listener: (p: InflightPiece) => void): () => void {
    this.events.on("inflight", listener);
    return () => this.events.off("inflight", listener);
  }

  /** onPiece subscribes to finished pieces; the returned function unsubscribes. */
  onPiece(listener: (p: PieceMeta) => void): () => void {
    this.events.on("piece", listener);
    return () => this.events.off("piece", listener);
  }

  /** flush journals the pieces finished since the last flush; their seal is scheduled. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.serially(() => this.appendPending());
  }

  /** seal journals pending pieces, syncs the content file, then writes a seal line. */
  seal(): Promise<void> {
    clearTimeout(this.sealTimer);
    this.sealTimer = undefined;
    return this.serially(async () => {
      await this.appendPending();
      if (!this.unsealed || this.gone) return;
      const lease = await leaseContent(this.contentPath);
      try {
        await syncData(lease.fd);
      } finally {
        lease.release();
      }
      if (this.gone) return;
      await this.journal.seal();
      this.unsealed = false;
    });
  }

  private async appendPending(): Promise<void> {
    while (this.pending.length > 0 && !this.gone) {
      const batch = this.pending;
      this.pending = [];
      await this.journal.append(batch);
      this.unsealed = true;
      this.sealTimer ??= setTimeout(() => void this.seal().catch(() => undefined), SEAL_DELAY_MS);
      this.sealTimer.unref();
    }
  }

  /** serially runs journal work one at a time, in call order, whatever the previous outcome. */
  private serially(work: () => Promise<void>): Promise<void> {
    const prev = this.flushing ?? Promise.resolve();
    const next = prev.then(work, work);
    this.flushing = next;
    return next;
  }

  /** touch stamps the last access (kept in memory; saved with the next metadata write). */
  touch(now = Date.now()): void {
    this.meta = { ...this.meta, accessedAt: now };
  }

  /** markFinished flushes pieces and saves the finish time. */
  async markFinished(now = Date.now()): Promise<void> {
    await this.flush();
    this.meta = { ...this.meta, finishedAt: now, accessedAt: now };
    await this.save();
  }

  /** persistAccess saves the last access time. */
  async persistAccess(): Promise<void> {
    await this.save();
  }

  /** save writes the metadata after any write already under way, unless the task is gone. */
  private save(): Promise<void> {
    const next = this.saving.then(() => (this.gone ? undefined : this.saveMeta(this.meta)));
    this.saving = next.catch(() => undefined);
    return next;
  }

  /**
   * close seals pending pieces, waits for metadata writes under way and releases the journal
   * (also when the seal fails, which it reports).
   */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    try {
      await this.seal();
    } finally {
      // A seal that failed (the content file removed behind our back) still releases the journal.
      clearTimeout(this.sealTimer);
      await this.saving;
      await this.journal.close();
    }
  }
}
