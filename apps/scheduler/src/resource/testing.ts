import type { HostInfo } from "./host";
import { Host } from "./host";
import type { PeerState } from "./lifecycle";
import { PeerEvent } from "./lifecycle";
import { Peer } from "./peer";
import type { Resource } from "./resource";
import { createResource } from "./resource";
import type { TaskInfo } from "./task";
import { Task } from "./task";

/** FakeClock is a settable clock for tests. */
export interface FakeClock {
  t: number;
  readonly now: () => number;
}

/** fakeClock returns a clock starting at `t` that only moves when told. */
export function fakeClock(t = 1_000_000): FakeClock {
  const clock: FakeClock = { t, now: () => clock.t };
  return clock;
}

/** Swarm is a Resource with a fake clock and builders, for tests of the scheduling rules. */
export interface Swarm extends Resource {
  readonly clock: FakeClock;
  readonly task: Task;
  host(id: string, info?: Partial<HostInfo>): Host;
  peer(id: string, hostId: string, state?: PeerState, pieces?: readonly number[]): Peer;
}

/** EVENTS_TO is the event path from Pending to each state, used to place test peers. */
const EVENTS_TO: Record<PeerState, readonly PeerEvent[]> = {
  Pending: [],
  ReceivedEmpty: [PeerEvent.RegisterEmpty],
  ReceivedNormal: [PeerEvent.RegisterNormal],
  Running: [PeerEvent.RegisterNormal, PeerEvent.Download],
  BackToSource: [PeerEvent.RegisterNormal, PeerEvent.DownloadBackToSource],
  Succeeded: [PeerEvent.RegisterNormal, PeerEvent.Download, PeerEvent.DownloadSucceeded],
  Failed: [PeerEvent.RegisterNormal, PeerEvent.DownloadFailed],
  Leave: [PeerEvent.Leave],
};

/** createSwarm builds one task with hosts and peers created on demand (day-long TTLs). */
export function createSwarm(task: Partial<TaskInfo> = {}): Swarm {
  const clock = fakeClock();
  const resource = createResource({
    peerTtlSeconds: 86_400,
    taskTtlSeconds: 86_400,
    hostTtlSeconds: 3600,
  });
  const t = new Task(
    { id: "task-1", url: "http://origin/blob", totalPieceCount: 10, ...task },
    { clock: clock.now },
  );
  resource.tasks.store(t);
  const host = (id: string, info: Partial<HostInfo> = {}): Host => {
    const existing = resource.hosts.load(id);
    if (existing) return existing;
    const h = new Host(
      { id, type: "normal", hostname: id, ip: "10.0.0.1", port: 4000, downloadPort: 4001, ...info },
      { clock: clock.now },
    );
    resource.hosts.store(h);
    return h;
  };
  const peer = (id: string, hostId: string, state: PeerState = "Running", pieces = [0, 1, 2]) => {
    const p = new Peer({ id, host: host(hostId), task: t }, { clock: clock.now });
    resource.peers.store(p);
    for (const e of EVENTS_TO[state]) p.fsm.fire(e);
    for (const n of pieces) p.finishedPieces.add(n);
    return p;
  };
  return { ...resource, clock, task: t, host, peer };
}
