import type { Database } from "@df/db";
import { and, count, eq, schedulers } from "@df/db";
import type { Logger } from "@df/logger";
import type { Job } from "@df/proto/manager/v2";

import type { JobsConfig } from "./config";
import type { PayloadCache } from "./payload";
import { planPart, type PartAction } from "./plan";
import type { StoredArgs } from "./sealing";
import { assignPart, failPart, jobMessageId, type JobPart, type SchedulerRef } from "./state";
import { partsOf, pendingJobs, updateParts, type JobRow } from "./store";

/** JobSubscriber is one scheduler's open SubscribeJobs stream. */
export interface JobSubscriber extends SchedulerRef {
  clusterId: number;
  send(job: Job): void;
  /** close ends the stream (the manager is stopping). */
  close(): void;
}

/** Decision is a planned action on one part, checked again under the row lock. */
interface Decision {
  part: JobPart;
  action: PartAction;
}

/**
 * JobDispatcher sends pending job parts to the schedulers holding SubscribeJobs and keeps the
 * durable state honest: it runs on every subscription change, every report and every tick, so
 * jobs left PENDING by a previous manager process are picked up again after a restart.
 */
export class JobDispatcher {
  private readonly subs: JobSubscriber[] = [];
  private readonly sent = new WeakMap<JobSubscriber, Set<string>>();
  private readonly waiting = new Map<string, number>();
  private readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    private readonly config: JobsConfig,
    private readonly payloads: PayloadCache,
  ) {}

  /** subscribe registers a stream; the result unregisters it. */
  subscribe(sub: JobSubscriber): () => void {
    this.subs.push(sub);
    this.sent.set(sub, new Set());
    this.log.info("scheduler subscribed to jobs", {
      scheduler: sub.hostname,
      cluster: sub.clusterId,
    });
    this.kick();
    return () => {
      const i = this.subs.indexOf(sub);
      if (i < 0) return;
      this.subs.splice(i, 1);
      this.log.info("scheduler left jobs", { scheduler: sub.hostname, cluster: sub.clusterId });
      this.kick();
    };
  }

  /** subscribed lists the schedulers of a cluster holding a stream, oldest subscription first. */
  subscribed(clusterId: number): JobSubscriber[] {
    return this.subs.filter((s) => s.clusterId === clusterId);
  }

  /** start checks pending jobs every `tickMs`. */
  start(): void {
    this.timer = setInterval(() => this.kick(), this.config.tickMs);
    this.timer.unref();
    this.kick();
  }

  /** stop ends the periodic check and every subscription stream. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    for (const s of [...this.subs]) s.close();
  }

  /** kick runs a dispatch pass now, or right after the one in progress. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass().catch((err: unknown) =>
          this.log.error("job dispatch pass failed", { error: String(err) }),
        );
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
  }

  /** idle resolves once no dispatch pass is running (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** pass plans and applies every pending job once. */
  private async pass(): Promise<void> {
    const rows = await pendingJobs(this.db);
    const active = new Map<number, number>();
    for (const row of rows) {
      const decisions = await this.plan(row, active);
      if (decisions.length) await this.apply(row, decisions);
    }
  }

  /** activeCount is the number of active schedulers of a cluster, queried once per pass. */
  private async activeCount(clusterId: number, cache: Map<number, number>): Promise<number> {
    const known = cache.get(clusterId);
    if (known !== undefined) return known;
    const [row] = await this.db
      .select({ n: count() })
      .from(schedulers)
      .where(and(eq(schedulers.schedulerClusterId, clusterId), eq(schedulers.state, "active")));
    cache.set(clusterId, row?.n ?? 0);
    return row?.n ?? 0;
  }

  /** plan decides for each pending part of a job; "wait" decisions are dropped. */
  private async plan(row: JobRow, active: Map<number, number>): Promise<Decision[]> {
    const now = Date.now();
    const decisions: Decision[] = [];
    for (const part of partsOf(row)) {
      if (part.state !== "PENDING") {
        this.waiting.delete(part.task_uuid);
        continue;
      }
      const subs = this.subscribed(part.scheduler_cluster_id);
      const owner = subs.find(
        (s) => s.hostname === part.scheduler?.hostname && s.ip === part.scheduler.ip,
      );
      if (owner) this.waiting.delete(part.task_uuid);
      else if (!this.waiting.has(part.task_uuid)) this.waiting.set(part.task_uuid, now);
      const action = planPart(part, {
        now,
        subscribed: subs,
        sent: owner ? (this.sent.get(owner)?.has(jobMessageId(row.id, part)) ?? false) : false,
        waitingSince: this.waiting.get(part.task_uuid) ?? now,
        activeSchedulers:
          subs.length || (await this.activeCount(part.scheduler_cluster_id, active)),
        settling: now - this.startedAt < this.config.graceSeconds * 1000,
        timeoutMs: Number(row.args.timeout) / 1e6,
        graceMs: this.config.graceSeconds * 1000,
        reassignMs: this.config.reassignSeconds * 1000,
        maxAttempts: this.config.maxAttempts,
      });
      if (action.kind !== "wait") decisions.push({ part, action });
    }
    return decisions;
  }

  /**
   * apply builds the payload when something is to be sent (a failure to build it, such as an
   * unreachable registry, fails every pending part with the reason), stores the decisions under
   * the row lock, and only then sends, so a crash never loses a dispatched part.
   */
  private async apply(row: JobRow, decisions: Decision[]): Promise<void> {
    const sending = decisions.some((d) => d.action.kind !== "fail");
    let job: Omit<Job, "id"> | undefined;
    let buildError: string | undefined;
    if (sending) {
      try {
        const p = await this.payloads.get(row.id, row.type, row.args as StoredArgs);
        job = {
          type: row.type,
          argsJson: p.argsJson,
          timeoutMs: p.timeoutMs,
          createdAt: row.createdAt,
        };
      } catch (err) {
        buildError = err instanceof Error ? err.message : String(err);
      }
    }
    const now = new Date();
    const toSend: Array<{ to: SchedulerRef; part: JobPart }> = [];
    const saved = await updateParts(this.db, row.id, (parts) =>
      parts.map((p) => {
        const d = decisions.find((x) => x.part.task_uuid === p.task_uuid);
        if (!d || p.state !== "PENDING" || p.attempt !== d.part.attempt) return p;
        if (buildError !== undefined) return failPart(p, buildError, now);
        const { action } = d;
        if (action.kind === "fail") return failPart(p, action.error, now);
        if (action.kind === "wait") return p;
        const next = action.kind === "assign" ? assignPart(p, action.to, now) : p;
        toSend.push({ to: action.to, part: next });
        return next;
      }),
    );
    if (!saved) return;
    if (saved.state !== "PENDING") this.finished(saved);
    if (!job) return;
    for (const { to, part } of toSend)
      this.send(to, part, { ...job, id: jobMessageId(row.id, part) });
  }

  /** finished forgets what was kept for a job that left PENDING. */
  finished(row: JobRow): void {
    this.payloads.forget(row.id);
    for (const p of partsOf(row)) this.waiting.delete(p.task_uuid);
    this.log.info("job finished", { job: row.id, type: row.type, state: row.state });
  }

  /** send writes a job message to the part's scheduler, if it is still subscribed. */
  private send(to: SchedulerRef, part: JobPart, job: Job): void {
    const sub = this.subscribed(part.scheduler_cluster_id).find(
      (s) => s.hostname === to.hostname && s.ip === to.ip,
    );
    if (!sub) return;
    this.sent.get(sub)?.add(job.id);
    this.waiting.delete(part.task_uuid);
    this.log.info("job dispatched", { job: job.id, type: job.type, scheduler: sub.hostname });
    sub.send(job);
  }
}
