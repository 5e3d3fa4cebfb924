import { EventEmitter } from "node:events";

import * as grpc from "@grpc/grpc-js";

import { DfdaemonUploadClient, type SyncPiecesResponse } from "@df/proto/dfdaemon/v2";

/** ParentState is what the child knows of one parent. */
export interface ParentState {
  peerId: string;
  hostId: string;
  ip: string;
  downloadPort: number;
  /** pieces maps piece number to its announced digest. */
  pieces: Map<number, string>;
  /** heldSince maps piece number to when the parent announced it. */
  heldSince: Map<number, number>;
  inflight: number;
  /** early holds the pieces asked for before the parent announced them, while in flight. */
  early: Set<number>;
  /** synced is true once the parent's SyncPieces stream answered (it has the task). */
  synced: boolean;
  failures: number;
  /** usable is false once the parent is dropped (gone, corrupt, or failing). */
  usable: boolean;
  /** seed is true for a seed peer, which every child shares: others are preferred when equal. */
  seed: boolean;
  /** lastGainAt is when the parent last announced a new piece (or was added). */
  lastGainAt: number;
  /** gapMs is a moving average of the time between the parent's new pieces (0 = unknown). */
  gapMs: number;
}

/**
 * MAX_INFLIGHT_PER_PARENT is how many pieces a child asks one parent for at once: two, so the
 * next request is already waiting at the parent when a piece ends (no round-trip gap; the piece
 * server sends small pieces whole, in the order their upload allowance came up).
 */
export const MAX_INFLIGHT_PER_PARENT = 2;
/** STALL_GAPS is how many of its usual gaps a parent may go without a new piece and still be followed. */
const STALL_GAPS = 4;
/** Bounds of the silence after which a parent counts as stalled. */
const MIN_STALL_MS = 200;
const MAX_STALL_MS = 1_500;
/**
 * FIRST_STALL_MS is the stall limit of a parent whose pace is not known yet. When many peers ask
 * at once they form a line behind the seed peer, and the end of the line gets its first piece
 * one piece transfer per peer ahead of it later (about 50 ms a hop for 1 MiB at 16 MiB/s): a
 * shorter limit made the tail give up on its parent and pile onto the seed peer.
 */
const FIRST_STALL_MS = 2_000;
/**
 * LAG_MS is how long a lower-ranked parent must have held a piece the followed parent still lacks
 * before the child takes it from there: a followed parent that keeps gaining but falls behind (a
 * slow link) does not hold the child back for good. Long enough for a line of peers to fill (the
 * seed peer holds each piece that much earlier than the end of the line).
 */
export const LAG_MS = 3_000;

/** TaskShape is the content and piece length a parent reports. */
export interface TaskShape {
  contentLength: number;
  pieceLength: number;
}

/** SYNC_RETRY_MS and SYNC_ATTEMPTS bound retries of a parent that does not know the task yet. */
const SYNC_RETRY_MS = 300;
const SYNC_ATTEMPTS = 8;

/**
 * PieceCollector keeps one SyncPieces stream per parent and learns which pieces each has, as the
 * parents progress. It emits `change` when a parent gains pieces, appears, or goes away, and
 * `shape` once the task's lengths are known.
 */
export class PieceCollector extends EventEmitter {
  readonly parents = new Map<string, ParentState>();
  private readonly calls = new Map<string, grpc.ClientReadableStream<SyncPiecesResponse>>();
  private readonly clients = new Map<string, DfdaemonUploadClient>();
  shape: TaskShape | undefined;
  private closed = false;

  constructor(
    private readonly taskId: string,
    private readonly hostId: string,
  ) {
    super();
    this.setMaxListeners(0);
  }

  /** add starts syncing with a parent (no-op if already known). */
  add(p: {
    peerId: string;
    hostId: string;
    ip: string;
    port: number;
    downloadPort: number;
    seed: boolean;
  }): void {
    if (this.parents.has(p.peerId) || this.closed) return;
    const state: ParentState = {
      ...p,
      pieces: new Map(),
      heldSince: new Map(),
      inflight: 0,
      early: new Set(),
      synced: false,
      failures: 0,
      usable: true,
      lastGainAt: Date.now(),
      gapMs: 0,
    };
    this.parents.set(p.peerId, state);
    this.sync(state, `${p.ip}:${p.port}`, 1);
    this.emit("change");
  }

  private sync(state: ParentState, addr: string, attempt: number): void {
    // A retry timer may fire after the download ended and the clients were closed.
    if (this.closed || !state.usable) return;
    let client = this.clients.get(addr);
    if (!client)
      this.clients.set(
        addr,
        (client = new DfdaemonUploadClient(addr, grpc.credentials.createInsecure())),
      );
    const call = client.syncPieces({
      hostId: this.hostId,
      taskId: this.taskId,
      interestedPieceNumbers: [],
    });
    this.calls.set(state.peerId, call);
    call.on("data", (m: SyncPiecesResponse) => {
      state.synced = true;
      if (!this.shape && m.contentLength !== undefined && m.pieceLength > 0) {
        this.shape = { contentLength: m.contentLength, pieceLength: m.pieceLength };
        this.emit("shape", this.shape);
      }
      if (m.downloadPort) state.downloadPort = m.downloadPort;
      if ((m.length > 0 || m.digest) && !state.pieces.has(m.number)) {
        state.pieces.set(m.number, m.digest);
        const now = Date.now();
        state.heldSince.set(m.number, now);
        const gap = now - state.lastGainAt;
        state.gapMs = state.gapMs === 0 ? gap : 0.8 * state.gapMs + 0.2 * gap;
        state.lastGainAt = now;
      }
      this.emit("change");
    });
    call.on("error", (err: grpc.ServiceError) => {
      if (this.closed || err.code === grpc.status.CANCELLED) return;
      if (err.code === grpc.status.NOT_FOUND && attempt < SYNC_ATTEMPTS && state.usable) {
        setTimeout(() => this.sync(state, addr, attempt + 1), SYNC_RETRY_MS);
        return;
      }
      this.drop(state.peerId);
    });
  }

  /** drop stops using a parent. */
  drop(peerId: string): void {
    const s = this.parents.get(peerId);
    if (!s || !s.usable) return;
    s.usable = false;
    this.calls.get(peerId)?.cancel();
    this.emit("change");
  }

  /** usableParents lists parents still in use. */
  usableParents(): ParentState[] {
    return [...this.parents.values()].filter((p) => p.usable);
  }

  /**
   * bestParentFor picks the parent to fetch piece `n` from, or none for now. Parents are followed
   * in the order the scheduler ranked them: the first one holding the piece serves it, unless a
   * better-ranked parent still lacks it but keeps gaining pieces (it will have it shortly). This
   * way each parent passes every piece on about once, to the child that follows it, and the seed
   * peer's upload goes to new pieces instead of copies others already hold; a parent that stalls
   * is skipped until it gains again, and a piece a lower-ranked parent has held for LAG_MS while
   * the better one still lacks it is taken from there. A parent at its in-flight limit is waited
   * for.
   */
  bestParentFor(n: number, now = Date.now()): ParentState | undefined {
    let waiting = false;
    for (const p of this.parents.values()) {
      if (!p.usable) continue;
      if (p.pieces.has(n)) {
        if (waiting && now - (p.heldSince.get(n) ?? now) < LAG_MS) continue;
        return p.inflight < MAX_INFLIGHT_PER_PARENT ? p : undefined;
      }
      if (!this.stalled(p, now)) waiting = true;
    }
    return undefined;
  }

  /**
   * earlyParentFor names the parent to ask for piece `n` before it has the piece: the followed
   * parent (the best-ranked one that is not stalled) when it lacks `n` and has a request slot
   * free and no other early request still waiting there. Its piece server holds the request and
   * answers the moment the piece is stored, so the piece moves on without the child first hearing
   * of it and then asking, a round trip per hop of the swarm; one waiting request at a time keeps
   * the other slot for pieces the parent holds, should it store pieces out of order. None when a
   * better-ranked parent already holds the piece (bestParentFor's case).
   */
  earlyParentFor(n: number, now = Date.now()): ParentState | undefined {
    for (const p of this.parents.values()) {
      if (!p.usable) continue;
      if (p.pieces.has(n)) return undefined;
      if (this.stalled(p, now)) continue;
      // A parent whose SyncPieces has not answered may not have the task yet: its piece server
      // would answer "unknown task" at once, which counts as a failure.
      const waiting = [...p.early].some((e) => !p.pieces.has(e));
      return p.synced && p.inflight < MAX_INFLIGHT_PER_PARENT && !waiting ? p : undefined;
    }
    return undefined;
  }

  /** stalled tells whether the parent has gone quiet for several of its usual gaps. */
  stalled(p: ParentState, now = Date.now()): boolean {
    if (this.complete(p)) return false;
    const limit =
      p.gapMs > 0
        ? Math.min(MAX_STALL_MS, Math.max(MIN_STALL_MS, STALL_GAPS * p.gapMs))
        : FIRST_STALL_MS;
    return now - p.lastGainAt > limit;
  }

  /** complete tells whether the parent holds every piece of the task. */
  private complete(p: ParentState): boolean {
    const shape = this.shape;
    if (!shape || shape.pieceLength <= 0) return false;
    return p.pieces.size >= Math.ceil(shape.contentLength / shape.pieceLength);
  }

  /** close cancels every stream. */
  close(): void {
    this.closed = true;
    for (const c of this.calls.values()) c.cancel();
    for (const c of this.clients.values()) c.close();
    this.removeAllListeners();
  }
}
