import { isIP } from "node:net";

import { z } from "zod";

import type { Database } from "@df/db";
import { and, asc, count, eq, ilike, schedulerClusters, schedulers } from "@df/db";
import { notFound } from "@df/errors";

import { containsPattern } from "./db-util";
import { offsetOf, pageOf, type Page, type PageQuery } from "./pagination";
import { bestCluster, type SearchHost } from "./searcher";
import { parseOrThrow } from "./validation";

/** DEFAULT_FEATURES are assumed when a scheduler registers without any. */
export const DEFAULT_FEATURES = ["schedule", "preheat"];

/** SchedulerRow is a stored scheduler. */
export type SchedulerRow = typeof schedulers.$inferSelect;

/** SchedulerView is a scheduler with its cluster's name and current config revision. */
export type SchedulerView = SchedulerRow & { clusterName: string; clusterRevision: number };

/** RegistrationSchema checks what every component registration carries. */
export const RegistrationSchema = z.object({
  hostname: z.string().min(1, "is required").max(256),
  ip: z.string().refine((ip) => isIP(ip) !== 0, "must be an IP address"),
  port: z.number().int().min(1, "must be a port 1-65535").max(65535),
  idc: z.string().max(1024),
  location: z.string().max(1024),
});

/** SchedulerRegistration is UpdateScheduler's request. */
const SchedulerRegistration = RegistrationSchema.extend({
  schedulerClusterId: z.number().int().min(1, "is required"),
  features: z.array(z.string().min(1).max(64)).max(16),
});

/** registerScheduler upserts a scheduler by (hostname, ip, cluster); its state is left unchanged. */
export async function registerScheduler(db: Database, request: unknown): Promise<SchedulerRow> {
  const r = parseOrThrow(SchedulerRegistration, request);
  const [cluster] = await db
    .select({ id: schedulerClusters.id })
    .from(schedulerClusters)
    .where(eq(schedulerClusters.id, r.schedulerClusterId));
  if (!cluster) throw notFound("scheduler cluster", r.schedulerClusterId);
  const features = r.features.length ? r.features : DEFAULT_FEATURES;
  const set = { port: r.port, idc: r.idc, location: r.location, features, updatedAt: new Date() };
  const [row] = await db
    .insert(schedulers)
    .values({ ...set, hostname: r.hostname, ip: r.ip, schedulerClusterId: r.schedulerClusterId })
    .onConflictDoUpdate({
      target: [schedulers.hostname, schedulers.ip, schedulers.schedulerClusterId],
      set,
    })
    .returning();
  if (!row) throw new Error("upsert returned no scheduler");
  return row;
}

/** SchedulerFilter narrows the scheduler list. */
export interface SchedulerFilter extends PageQuery {
  schedulerClusterId?: number | undefined;
  state?: string | undefined;
  hostname?: string | undefined;
}

/** listSchedulers returns schedulers by id with state, applied and current config revisions. */
export async function listSchedulers(
  db: Database,
  q: SchedulerFilter,
): Promise<Page<SchedulerView>> {
  const where = and(
    q.schedulerClusterId ? eq(schedulers.schedulerClusterId, q.schedulerClusterId) : undefined,
    q.state ? eq(schedulers.state, q.state) : undefined,
    q.hostname ? ilike(schedulers.hostname, containsPattern(q.hostname)) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        s: schedulers,
        clusterName: schedulerClusters.name,
        clusterRevision: schedulerClusters.configRevision,
      })
      .from(schedulers)
      .innerJoin(schedulerClusters, eq(schedulerClusters.id, schedulers.schedulerClusterId))
      .where(where)
      .orderBy(asc(schedulers.id))
      .limit(q.perPage)
      .offset(offsetOf(q)),
    db.select({ n: count() }).from(schedulers).where(where),
  ]);
  const items = rows.map((r) => ({
    ...r.s,
    clusterName: r.clusterName,
    clusterRevision: r.clusterRevision,
  }));
  return pageOf(items, total?.n ?? 0, q);
}

/**
 * discoverSchedulers answers ListSchedulers: a pinned cluster's active schedulers, or else the
 * cluster the searcher ranks best among those with an active `schedule` scheduler (all clusters
 * when none has one) and its active schedulers.
 */
export async function discoverSchedulers(
  db: Database,
  host: SearchHost & { schedulerClusterId?: number | undefined },
): Promise<{ schedulerClusterId: number; schedulers: SchedulerRow[] }> {
  const active = await db
    .select()
    .from(schedulers)
    .where(eq(schedulers.state, "active"))
    .orderBy(asc(schedulers.id));
  if (host.schedulerClusterId) {
    const id = host.schedulerClusterId;
    const [pinned] = await db.select().from(schedulerClusters).where(eq(schedulerClusters.id, id));
    if (!pinned) throw notFound("scheduler cluster", id);
    return {
      schedulerClusterId: id,
      schedulers: active.filter((s) => s.schedulerClusterId === id),
    };
  }
  const clusters = await db.select().from(schedulerClusters).orderBy(asc(schedulerClusters.id));
  const usable = active.filter((s) => s.features.includes("schedule"));
  const served = clusters.filter((c) => usable.some((s) => s.schedulerClusterId === c.id));
  const chosen = bestCluster(host, served.length ? served : clusters);
  if (!chosen) throw notFound("scheduler cluster", "for this host");
  return {
    schedulerClusterId: chosen.id,
    schedulers: usable.filter((s) => s.schedulerClusterId === chosen.id),
  };
}
