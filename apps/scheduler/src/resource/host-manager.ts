import type { Host } from "./host";
import { HostEvent } from "./lifecycle";
import type { PeerManager } from "./peer-manager";
import { ResourceMap } from "./resource-map";

/** HostManager stores announced hosts; removing a host removes all of its peers. */
export class HostManager extends ResourceMap<Host> {
  readonly #ttlMs: number;
  readonly #peers: PeerManager;

  constructor(opts: { ttlMs: number; peers: PeerManager }) {
    super();
    this.#ttlMs = opts.ttlMs;
    this.#peers = opts.peers;
  }

  /** seeds lists the stored seed hosts. */
  seeds(): Host[] {
    return this.values().filter((h) => h.type === "seed");
  }

  /** runGC removes hosts that stopped announcing (see Host.expired) and returns their ids. */
  runGC(now: number): string[] {
    const removed: string[] = [];
    this.range((host) => {
      if (!host.expired(now, this.#ttlMs)) return;
      this.delete(host.id);
      removed.push(host.id);
    });
    return removed;
  }

  protected override detach(host: Host): void {
    for (const peerId of [...host.peers]) this.#peers.leave(peerId);
    if (host.fsm.can(HostEvent.Leave)) host.fsm.fire(HostEvent.Leave);
  }
}
