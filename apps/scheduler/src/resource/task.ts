import type { Logger } from "@df/logger";
import { noopLogger } from "@df/logger";

import { Dag } from "./dag";
import type { Clock } from "./fsm";
import { Fsm } from "./fsm";
import type { TaskEvent } from "./lifecycle";
import { TaskState, taskTransitions } from "./lifecycle";
import type { Peer } from "./peer";

/** TaskInfo is what the first registering peer tells the scheduler about the content. */
export interface TaskInfo {
  id: string;
  url: string;
  tag?: string;
  application?: string;
  digest?: string;
  /** pieceLength is bytes per piece (0 = not yet known). */
  pieceLength?: number;
  /** contentLength is the total size in bytes (-1 = not yet known). */
  contentLength?: number;
  /** totalPieceCount is the number of pieces (0 = not yet known). */
  totalPieceCount?: number;
}

/** TaskOptions inject the clock and a logger. */
export interface TaskOptions {
  clock?: Clock;
  log?: Logger;
}

/** Task is one piece of content shared by its peers, with the DAG of who serves whom. */
export class Task {
  readonly id: string;
  url: string;
  tag: string;
  application: string;
  digest: string;
  pieceLength: number;
  contentLength: number;
  totalPieceCount: number;
  readonly fsm: Fsm<TaskState, TaskEvent>;
  readonly peers = new Map<string, Peer>();
  readonly dag = new Dag();
  /** backToSourcePeers are the ids of peers downloading from the origin right now. */
  readonly backToSourcePeers = new Set<string>();
  /** peerFailedCount counts origin downloads that failed since the last success. */
  peerFailedCount = 0;
  readonly createdAt: number;
  updatedAt: number;
  readonly #clock: Clock;

  constructor(info: TaskInfo, opts: TaskOptions = {}) {
    this.#clock = opts.clock ?? Date.now;
    this.id = info.id;
    this.url = info.url;
    this.tag = info.tag ?? "";
    this.application = info.application ?? "";
    this.digest = info.digest ?? "";
    this.pieceLength = info.pieceLength ?? 0;
    this.contentLength = info.contentLength ?? -1;
    this.totalPieceCount = info.totalPieceCount ?? 0;
    this.createdAt = this.#clock();
    this.updatedAt = this.createdAt;
    const log = (opts.log ?? noopLogger).with({ task: info.id });
    this.fsm = new Fsm("task", TaskState.Pending, taskTransitions, {
      clock: this.#clock,
      onTransition: (t) => {
        this.updatedAt = t.at;
        log.debug("task state changed", { event: t.event, from: t.from, to: t.to });
      },
    });
  }

  /** state is the task's lifecycle state. */
  get state(): TaskState {
    return this.fsm.current;
  }

  /** touch stamps updatedAt with the clock. */
  touch(): void {
    this.updatedAt = this.#clock();
  }

  /** addPeer adds the peer and its DAG vertex. */
  addPeer(peer: Peer): void {
    this.peers.set(peer.id, peer);
    this.dag.addVertex(peer.id);
    this.touch();
  }

  /** deletePeer removes the peer, its edges (freeing upload slots) and its back-to-source mark. */
  deletePeer(peerId: string): void {
    const peer = this.peers.get(peerId);
    this.deleteInEdges(peerId);
    if (peer)
      peer.host.uploadsInUse = Math.max(0, peer.host.uploadsInUse - this.dag.childCount(peerId));
    this.dag.deleteVertex(peerId);
    this.backToSourcePeers.delete(peerId);
    this.peers.delete(peerId);
    this.touch();
  }

  /** canAddEdge tells whether parent -> child may be added without a cycle. */
  canAddEdge(parentId: string, childId: string): boolean {
    return this.dag.canAddEdge(parentId, childId);
  }

  /** addEdge makes parent serve child and reserves one upload slot on the parent's host. */
  addEdge(parentId: string, childId: string): void {
    this.dag.addEdge(parentId, childId);
    const parent = this.peers.get(parentId);
    if (parent) parent.host.uploadsInUse += 1;
  }

  /** deleteInEdges detaches the child from all its parents, releasing their upload slots. */
  deleteInEdges(childId: string): void {
    for (const parentId of this.dag.deleteInEdges(childId)) {
      const host = this.peers.get(parentId)?.host;
      if (host) host.uploadsInUse = Math.max(0, host.uploadsInUse - 1);
    }
  }

  /** replaceParents swaps the child's parents for the given ones; returns the ids it could add. */
  replaceParents(childId: string, parentIds: readonly string[]): string[] {
    this.deleteInEdges(childId);
    const added = parentIds.filter((id) => this.canAddEdge(id, childId));
    for (const id of added) this.addEdge(id, childId);
    return added;
  }

  /**
   * addParents adds parents to the child's existing ones (a refresh keeps the parents the child
   * is still pulling from, so the graph matches the traffic); returns the ids it could add.
   */
  addParents(childId: string, parentIds: readonly string[]): string[] {
    const added = parentIds.filter(
      (id) => !this.dag.hasEdge(id, childId) && this.canAddEdge(id, childId),
    );
    for (const id of added) this.addEdge(id, childId);
    return added;
  }

  /** dropParents detaches the child from the given parents (ones it gave up on). */
  dropParents(childId: string, parentIds: readonly string[]): void {
    for (const parentId of parentIds) {
      if (!this.dag.hasEdge(parentId, childId)) continue;
      this.dag.deleteEdge(parentId, childId);
      const host = this.peers.get(parentId)?.host;
      if (host) host.uploadsInUse = Math.max(0, host.uploadsInUse - 1);
    }
  }

  /** parentsOf lists the peers currently serving the child. */
  parentsOf(childId: string): Peer[] {
    return this.#peersOf(this.dag.parents(childId));
  }

  /** childrenOf lists the peers the given peer currently serves. */
  childrenOf(parentId: string): Peer[] {
    return this.#peersOf(this.dag.children(parentId));
  }

  /** canBackToSource tells whether one more peer may download from the origin under the limit. */
  canBackToSource(limit: number): boolean {
    return this.backToSourcePeers.size < limit;
  }

  /** resetMetadata forgets the size after a failed origin download, which may have been wrong. */
  resetMetadata(): void {
    this.contentLength = -1;
    this.totalPieceCount = 0;
  }

  #peersOf(ids: readonly string[]): Peer[] {
    return ids.flatMap((id) => this.peers.get(id) ?? []);
  }
}
