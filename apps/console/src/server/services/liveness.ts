import type { Database } from "@df/db";
import { and, eq, isNull, lt, or, schedulers, seedPeers } from "@df/db";
import { notFound } from "@df/errors";
import type { Logger } from "@df/logger";

/** ComponentKind names the components that keep alive. */
export type ComponentKind = "scheduler" | "seed-peer";

/** ComponentIdentity names one registered component. */
export interface ComponentIdentity {
  kind: ComponentKind;
  hostname: string;
  ip: string;
  clusterId: number;
}

/** KeepAliveSession is one open KeepAlive stream of a component. */
export interface KeepAliveSession {
  /** beat records a heartbeat: active, lastKeepAliveAt = now. */
  beat(): Promise<void>;
  /** close ends the stream; the component goes inactive when it was its last open stream. */
  close(): Promise<void>;
}

/** MISSED_INTERVALS is how many heartbeat intervals may pass before the sweep expires a component. */
export const MISSED_INTERVALS = 3;

/** tableOf is the table holding components of a kind. */
const tableOf = (kind: ComponentKind) => (kind === "scheduler" ? schedulers : seedPeers);

/** findComponent returns the id of a registered component, or throws NotFound. */
async function findComponent(db: Database, who: ComponentIdentity): Promise<number> {
  const [row] =
    who.kind === "scheduler"
      ? await db
          .select({ id: schedulers.id })
          .from(schedulers)
          .where(
            and(
              eq(schedulers.hostname, who.hostname),
              eq(schedulers.ip, who.ip),
              eq(schedulers.schedulerClusterId, who.clusterId),
            ),
          )
      : await db
          .select({ id: seedPeers.id })
          .from(seedPeers)
          .where(
            and(
              eq(seedPeers.hostname, who.hostname),
              eq(seedPeers.ip, who.ip),
              eq(seedPeers.seedPeerClusterId, who.clusterId),
            ),
          );
  if (!row) throw notFound(who.kind, `${who.hostname}/${who.ip} in cluster ${who.clusterId}`);
  return row.id;
}

/**
 * Liveness tracks KeepAlive streams. A component is active while any of its streams is open, so a
 * reconnect that overlaps the old stream's teardown never flips it inactive; `sweep` expires
 * components whose heartbeats stopped without the stream ending (a half-open connection, or a
 * stream held by a manager that died).
 */
export class Liveness {
  private readonly streams = new Map<string, number>();
  private readonly intervals = new Map<string, number>();
  private readonly stoppers = new Set<() => Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly defaultIntervalSeconds: number,
  ) {}

  /** open starts a stream for a registered component and marks it active. */
  async open(who: ComponentIdentity, intervalSeconds: number): Promise<KeepAliveSession> {
    const id = await findComponent(this.db, who);
    const key = `${who.kind}:${id}`;
    const table = tableOf(who.kind);
    const mark = async (state: "active" | "inactive") => {
      const values = state === "active" ? { state, lastKeepAliveAt: new Date() } : { state };
      await this.db.update(table).set(values).where(eq(table.id, id));
    };
    this.streams.set(key, (this.streams.get(key) ?? 0) + 1);
    if (intervalSeconds > 0) this.intervals.set(key, intervalSeconds);
    await mark("active");
    let closed = false;
    return {
      beat: () => (closed ? Promise.resolve() : mark("active")),
      close: async () => {
        if (closed) return;
        closed = true;
        const left = (this.streams.get(key) ?? 1) - 1;
        if (left > 0) {
          this.streams.set(key, left);
          return;
        }
        this.streams.delete(key);
        this.intervals.delete(key);
        await mark("inactive");
      },
    };
  }

  /** onShutdown registers a stream's stopper, run by `shutdown`; the result unregisters it. */
  onShutdown(stop: () => Promise<void>): () => void {
    this.stoppers.add(stop);
    return () => this.stoppers.delete(stop);
  }

  /** shutdown ends every open KeepAlive stream (their components go inactive) and waits for it. */
  async shutdown(): Promise<void> {
    const all = [...this.stoppers];
    this.stoppers.clear();
    await Promise.all(all.map((stop) => stop()));
  }

  /** openStreams is the number of KeepAlive streams open in this process. */
  openStreams(): number {
    let n = 0;
    for (const v of this.streams.values()) n += v;
    return n;
  }

  /** sweep marks inactive every active component without a heartbeat for MISSED_INTERVALS intervals; returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    let expired = 0;
    for (const kind of ["scheduler", "seed-peer"] as const) {
      const table = tableOf(kind);
      const active = await this.db
        .select({ id: table.id, lastKeepAliveAt: table.lastKeepAliveAt })
        .from(table)
        .where(eq(table.state, "active"));
      for (const row of active) {
        const interval = this.intervals.get(`${kind}:${row.id}`) ?? this.defaultIntervalSeconds;
        const cutoff = new Date(now - MISSED_INTERVALS * interval * 1000);
        if (row.lastKeepAliveAt && row.lastKeepAliveAt >= cutoff) continue;
        const stale = or(isNull(table.lastKeepAliveAt), lt(table.lastKeepAliveAt, cutoff));
        const done = await this.db
          .update(table)
          .set({ state: "inactive" })
          .where(and(eq(table.id, row.id), eq(table.state, "active"), stale))
          .returning({ id: table.id });
        expired += done.length;
      }
    }
    return expired;
  }
}

/** startSweeper runs `liveness.sweep` every `everyMs` (never two at once); the result stops it. */
export function startSweeper(
  liveness: Liveness,
  everyMs: number,
  log: Logger,
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = liveness
      .sweep()
      .then((n) => {
        if (n > 0) log.info("expired components without keep-alive", { count: n });
      })
      .catch((err: unknown) => log.error("keep-alive sweep failed", { error: String(err) }))
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
