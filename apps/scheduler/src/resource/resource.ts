import { HostManager } from "./host-manager";
import { PeerManager } from "./peer-manager";
import { TaskManager } from "./task-manager";

/** GcTtls are the resource lifetimes, shaped like the scheduler config's `gc` section. */
export interface GcTtls {
  peerTtlSeconds: number;
  taskTtlSeconds: number;
  hostTtlSeconds: number;
}

/** GcReport lists what one GC pass removed. */
export interface GcReport {
  hosts: string[];
  peers: string[];
  tasks: string[];
}

/** Resource bundles the three managers so one GC ticker can sweep them in order. */
export interface Resource {
  readonly hosts: HostManager;
  readonly tasks: TaskManager;
  readonly peers: PeerManager;
  /** runGC sweeps hosts (with their peers), then peers, then the tasks left empty. */
  runGC(now: number): GcReport;
}

/** createResource builds the managers from the GC TTLs. */
export function createResource(ttls: GcTtls): Resource {
  const peers = new PeerManager({ ttlMs: ttls.peerTtlSeconds * 1000 });
  const hosts = new HostManager({ ttlMs: ttls.hostTtlSeconds * 1000, peers });
  const tasks = new TaskManager({ ttlMs: ttls.taskTtlSeconds * 1000 });
  return {
    hosts,
    tasks,
    peers,
    runGC(now) {
      const removedHosts = hosts.runGC(now);
      const removedPeers = peers.runGC(now);
      return { hosts: removedHosts, peers: removedPeers, tasks: tasks.runGC(now) };
    },
  };
}
