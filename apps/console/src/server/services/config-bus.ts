import type { ClientConfig, SchedulerConfig } from "@df/db";

/** ConfigSnapshot is one saved revision of a scheduler cluster's configuration. */
export interface ConfigSnapshot {
  schedulerClusterId: number;
  revision: number;
  config: SchedulerConfig;
  clientConfig: ClientConfig;
  updatedAt: Date;
}

/** ConfigSubscriber receives every snapshot published for its cluster, and `close` at shutdown. */
export interface ConfigSubscriber {
  update(snapshot: ConfigSnapshot): void;
  close(): void;
}

/**
 * ConfigBus is the in-process pub/sub between config saves and WatchConfig streams. Publishing is
 * synchronous, so every open stream of the cluster is written before `publish` returns. It only
 * reaches streams served by this process.
 */
export class ConfigBus {
  private readonly subscribers = new Map<number, Set<ConfigSubscriber>>();
  private closed = false;

  /** subscribe registers a subscriber of one cluster and returns its unsubscribe function. */
  subscribe(clusterId: number, subscriber: ConfigSubscriber): () => void {
    if (this.closed) {
      subscriber.close();
      return () => {};
    }
    const set = this.subscribers.get(clusterId) ?? new Set<ConfigSubscriber>();
    this.subscribers.set(clusterId, set.add(subscriber));
    return () => {
      set.delete(subscriber);
      if (set.size === 0 && this.subscribers.get(clusterId) === set)
        this.subscribers.delete(clusterId);
    };
  }

  /** publish hands a snapshot to every subscriber of its cluster; one failing subscriber is isolated. */
  publish(snapshot: ConfigSnapshot): void {
    for (const s of [...(this.subscribers.get(snapshot.schedulerClusterId) ?? [])]) {
      try {
        s.update(snapshot);
      } catch {
        // A subscriber that cannot take the update is closed; the others still get it.
        s.close();
      }
    }
  }

  /** count is the number of subscribers of one cluster, or of all clusters. */
  count(clusterId?: number): number {
    if (clusterId !== undefined) return this.subscribers.get(clusterId)?.size ?? 0;
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  /** close ends every subscription; later subscribers are closed at once. */
  close(): void {
    this.closed = true;
    const all = [...this.subscribers.values()].flatMap((set) => [...set]);
    this.subscribers.clear();
    for (const s of all) s.close();
  }
}
