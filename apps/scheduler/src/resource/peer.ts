import type { Logger } from "@df/logger";
import { noopLogger } from "@df/logger";

import type { Clock, TransitionRecord } from "./fsm";
import { Fsm } from "./fsm";
import type { Host } from "./host";
import { PeerEvent, PeerState, peerTransitions } from "./lifecycle";
import type { Task } from "./task";

/** PIECE_COST_WINDOW is how many recent piece costs a peer keeps per parent. */
export const PIECE_COST_WINDOW = 2000;

/** PeerInfo identifies a peer and the download it runs. */
export interface PeerInfo {
  id: string;
  host: Host;
  task: Task;
  /** needBackToSource is true when the peer asked to download from the origin. */
  needBackToSource?: boolean;
}

/** PeerOptions inject the clock and a logger. */
export interface PeerOptions {
  clock?: Clock;
  log?: Logger;
}

/** Peer is one download of one task by one host. */
export class Peer {
  readonly id: string;
  readonly host: Host;
  readonly task: Task;
  readonly fsm: Fsm<PeerState, PeerEvent>;
  /** finishedPieces are the numbers of the pieces the peer holds. */
  readonly finishedPieces = new Set<number>();
  /** pieceCosts are recent piece download costs in ms per parent id, oldest first. */
  readonly pieceCosts = new Map<string, number[]>();
  /** pieceFailures counts failed pieces per parent id. */
  readonly pieceFailures = new Map<string, number>();
  /** blockParents are peer ids never to be offered as parents again (failed or rescheduled). */
  readonly blockParents = new Set<string>();
  /** badParents are peer ids judged bad for this peer by failure accounting. */
  readonly badParents = new Set<string>();
  needBackToSource: boolean;
  /** scheduleAttempts counts scheduling rounds in a row that found no parent. */
  scheduleAttempts = 0;
  readonly createdAt: number;
  updatedAt: number;
  /** pieceUpdatedAt is when the last piece finished (0 = none yet). */
  pieceUpdatedAt = 0;
  readonly log: Logger;
  readonly #clock: Clock;

  constructor(info: PeerInfo, opts: PeerOptions = {}) {
    this.#clock = opts.clock ?? Date.now;
    this.id = info.id;
    this.host = info.host;
    this.task = info.task;
    this.needBackToSource = info.needBackToSource ?? false;
    this.createdAt = this.#clock();
    this.updatedAt = this.createdAt;
    this.log = (opts.log ?? noopLogger).with({
      host: info.host.id,
      task: info.task.id,
      peer: info.id,
    });
    this.fsm = new Fsm("peer", PeerState.Pending, peerTransitions, {
      clock: this.#clock,
      onTransition: (t) => this.#applyTransition(t),
    });
  }

  /** state is the peer's lifecycle state. */
  get state(): PeerState {
    return this.fsm.current;
  }

  /** touch stamps updatedAt with the clock. */
  touch(): void {
    this.updatedAt = this.#clock();
  }

  /** finishPiece records a finished piece and, when it came from a parent, its cost. */
  finishPiece(pieceNumber: number, parentId: string | undefined, costMs: number): void {
    this.finishedPieces.add(pieceNumber);
    if (parentId !== undefined && parentId !== "") {
      const costs = this.pieceCosts.get(parentId) ?? [];
      costs.push(costMs);
      if (costs.length > PIECE_COST_WINDOW) costs.splice(0, costs.length - PIECE_COST_WINDOW);
      this.pieceCosts.set(parentId, costs);
    }
    this.touch();
    this.pieceUpdatedAt = this.updatedAt;
  }

  /** parents lists the peers currently serving this one. */
  parents(): Peer[] {
    return this.task.parentsOf(this.id);
  }

  /**
   * Side effects of each move: leaving Running for the origin, finishing, failing or leaving drops
   * the peer's parents (freeing their upload slots); the task's back-to-source set follows the
   * BackToSource state; an origin failure counts against the task, a success clears the count.
   */
  #applyTransition(t: TransitionRecord<PeerState, PeerEvent>): void {
    this.updatedAt = t.at;
    const task = this.task;
    if (t.to === PeerState.BackToSource) task.backToSourcePeers.add(this.id);
    if (t.from === PeerState.BackToSource) {
      task.backToSourcePeers.delete(this.id);
      if (t.event === PeerEvent.DownloadFailed) task.peerFailedCount += 1;
    }
    if (t.event === PeerEvent.DownloadSucceeded) task.peerFailedCount = 0;
    if (
      t.to === PeerState.BackToSource ||
      t.to === PeerState.Succeeded ||
      t.to === PeerState.Failed ||
      t.to === PeerState.Leave
    ) {
      task.deleteInEdges(this.id);
    }
    this.log.debug("peer state changed", { event: t.event, from: t.from, to: t.to });
  }
}
