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
  inflight: number;
  failures: number;
  /** usable is false once the parent is dropped (gone, corrupt, or failing). */
  usable: boolean;
  /** seed is true for a seed peer, which every child shares: others are preferred when equal. */
  seed: boolean;
}

/** MAX_INFLIGHT_PER_PARENT keeps one child from taking all of a parent's upload at once. */
export const MAX_INFLIGHT_PER_PARENT = 2;

/** TaskShape is the content and piece length a parent reports. */
export interface TaskShape {
  contentLength: number;
  pieceLength: number;
}

/** SYNC_RETRY_MS and SYNC_ATTEMPTS bound retries of a parent that does not know the task yet. */
const SYNC_RETRY_MS = 300;
const SYNC_ATTEMPTS = 30;

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
    const state: ParentState = { ...p, pieces: new Map(), inflight: 0, failures: 0, usable: true };
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
      if (!this.shape && m.contentLength !== undefined && m.pieceLength > 0) {
        this.shape = { contentLength: m.contentLength, pieceLength: m.pieceLength };
        this.emit("shape", this.shape);
      }
      if (m.downloadPort) state.downloadPort = m.downloadPort;
      if (m.length > 0 || m.digest) state.pieces.set(m.number, m.digest);
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

  /** bestParentFor picks, among usable parents holding the piece, the one with the fewest requests in flight. */
  bestParentFor(n: number): ParentState | undefined {
    let best: ParentState | undefined;
    for (const p of this.parents.values()) {
      if (!p.usable || !p.pieces.has(n)) continue;
      if (
        !best ||
        p.inflight < best.inflight ||
        (p.inflight === best.inflight && Math.random() < 0.5)
      )
        best = p;
    }
    return best;
  }

  /** close cancels every stream. */
  close(): void {
    this.closed = true;
    for (const c of this.calls.values()) c.cancel();
    for (const c of this.clients.values()) c.close();
    this.removeAllListeners();
  }
}
