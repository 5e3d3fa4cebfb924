import { PeerEvent, PeerState } from "./lifecycle";
import type { Peer } from "./peer";
import { ResourceMap } from "./resource-map";

/** PeerManager stores peers and keeps their task DAG and host peer set in step. */
export class PeerManager extends ResourceMap<Peer> {
  readonly #ttlMs: number;

  constructor(opts: { ttlMs: number }) {
    super();
    this.#ttlMs = opts.ttlMs;
  }

  /** leave moves the peer to Leave (when it is not there already) and removes it. */
  leave(id: string): boolean {
    const peer = this.load(id);
    if (peer?.fsm.can(PeerEvent.Leave)) peer.fsm.fire(PeerEvent.Leave);
    return this.delete(id);
  }

  /**
   * runGC cleans peers at `now` and returns the removed ids: a peer already in Leave is removed;
   * one silent for longer than the peer TTL is made to leave and removed; a Failed one is moved to
   * Leave, so it stays visible for one more round before it goes.
   */
  runGC(now: number): string[] {
    const removed: string[] = [];
    this.range((peer) => {
      if (peer.state === PeerState.Leave || now - peer.updatedAt > this.#ttlMs) {
        this.leave(peer.id);
        removed.push(peer.id);
      } else if (peer.state === PeerState.Failed) {
        peer.fsm.fire(PeerEvent.Leave);
      }
    });
    return removed;
  }

  protected override attach(peer: Peer): void {
    peer.task.addPeer(peer);
    peer.host.peers.add(peer.id);
  }

  protected override detach(peer: Peer): void {
    peer.task.deletePeer(peer.id);
    peer.host.peers.delete(peer.id);
  }
}
