import type { Database } from "@df/db";
import {
  and,
  asc,
  ClientConfigSchema,
  configRevisions,
  count,
  desc,
  eq,
  ne,
  SchedulerConfigSchema,
  schedulerClusters,
  schedulers,
  ScopesSchema,
} from "@df/db";
import { notFound } from "@df/errors";

import { applyConfigChange, type ConfigChange } from "./cluster-config";
import type { ConfigBus } from "./config-bus";
import { preconditionFailed, uniquely, type Tx } from "./db-util";
import { offsetOf, pageOf, type Page, type PageQuery } from "./pagination";
import { parseOrThrow } from "./validation";

/** ClusterRow is a stored scheduler cluster. */
export type ClusterRow = typeof schedulerClusters.$inferSelect;

/** RevisionRow is one saved config revision. */
export type RevisionRow = typeof configRevisions.$inferSelect;

/** ClusterDeps are what cluster changes need: the database and the config bus to push on. */
export interface ClusterDeps {
  db: Database;
  configBus: ConfigBus;
}

/** listClusters returns every scheduler cluster by id (clusters are few). */
export function listClusters(db: Database): Promise<ClusterRow[]> {
  return db.select().from(schedulerClusters).orderBy(asc(schedulerClusters.id));
}

/** pageClusters returns one page of scheduler clusters by id. */
export async function pageClusters(db: Database, q: PageQuery): Promise<Page<ClusterRow>> {
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(schedulerClusters)
      .orderBy(asc(schedulerClusters.id))
      .limit(q.perPage)
      .offset(offsetOf(q)),
    db.select({ n: count() }).from(schedulerClusters),
  ]);
  return pageOf(rows, total?.n ?? 0, q);
}

/** getCluster returns one scheduler cluster. */
export async function getCluster(db: Database | Tx, id: number): Promise<ClusterRow> {
  const [row] = await db.select().from(schedulerClusters).where(eq(schedulerClusters.id, id));
  if (!row) throw notFound("scheduler cluster", id);
  return row;
}

/** makeDefault clears the default flag of every other cluster. */
async function makeDefault(tx: Tx, id: number): Promise<void> {
  await tx
    .update(schedulerClusters)
    .set({ isDefault: false })
    .where(and(eq(schedulerClusters.isDefault, true), ne(schedulerClusters.id, id)));
}

/** CreateCluster is a validated create request; JSON documents are checked here. */
export interface CreateCluster extends ConfigChange {
  name: string;
  bio: string;
  scopes?: Record<string, unknown> | undefined;
  isDefault: boolean;
}

/** createCluster creates a scheduler cluster at config revision 1. */
export async function createCluster(
  db: Database,
  input: CreateCluster,
  userId: number | null,
): Promise<ClusterRow> {
  const config = parseOrThrow(SchedulerConfigSchema, input.config ?? {}, "config");
  const clientConfig = parseOrThrow(ClientConfigSchema, input.clientConfig ?? {}, "clientConfig");
  const scopes = parseOrThrow(ScopesSchema, input.scopes ?? {}, "scopes");
  return uniquely("scheduler cluster", input.name, () =>
    db.transaction(async (tx) => {
      const values = { name: input.name, bio: input.bio, isDefault: input.isDefault };
      const [row] = await tx
        .insert(schedulerClusters)
        .values({ ...values, config, clientConfig, scopes, configRevision: 1 })
        .returning();
      if (!row) throw new Error("insert returned no cluster");
      if (row.isDefault) await makeDefault(tx, row.id);
      await tx.insert(configRevisions).values({
        schedulerClusterId: row.id,
        revision: 1,
        config,
        clientConfig,
        createdBy: userId,
      });
      return row;
    }),
  );
}

/** UpdateCluster is a validated update request; absent fields stay as they are. */
export interface UpdateCluster extends ConfigChange {
  name?: string | undefined;
  bio?: string | undefined;
  scopes?: Record<string, unknown> | undefined;
  isDefault?: boolean | undefined;
}

/**
 * updateCluster changes a cluster in one transaction; a config change bumps the revision and is
 * pushed to watchers after commit. The default flag can only move to another cluster.
 */
export async function updateCluster(
  deps: ClusterDeps,
  id: number,
  input: UpdateCluster,
  userId: number | null,
): Promise<ClusterRow> {
  const result = await uniquely("scheduler cluster", input.name ?? String(id), () =>
    deps.db.transaction(async (tx) => {
      const current = await getCluster(tx, id);
      if (input.isDefault === false && current.isDefault)
        throw preconditionFailed("make another cluster the default instead");
      const scopes =
        input.scopes &&
        parseOrThrow(ScopesSchema, { ...current.scopes, ...input.scopes }, "scopes");
      const fields = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.bio !== undefined ? { bio: input.bio } : {}),
        ...(scopes ? { scopes } : {}),
        ...(input.isDefault ? { isDefault: true } : {}),
      };
      if (Object.keys(fields).length)
        await tx.update(schedulerClusters).set(fields).where(eq(schedulerClusters.id, id));
      if (input.isDefault) await makeDefault(tx, id);
      const pushed = await applyConfigChange(tx, id, input, userId);
      return { row: await getCluster(tx, id), pushed };
    }),
  );
  if (result.pushed.changed) deps.configBus.publish(result.pushed.snapshot);
  return result.row;
}

/** deleteCluster deletes a cluster that is not the default and has no schedulers. */
export async function deleteCluster(db: Database, id: number): Promise<{ id: number }> {
  return db.transaction(async (tx) => {
    const current = await getCluster(tx, id);
    if (current.isDefault) throw preconditionFailed("the default cluster cannot be deleted");
    const [used] = await tx
      .select({ n: count() })
      .from(schedulers)
      .where(eq(schedulers.schedulerClusterId, id));
    if (used && used.n > 0)
      throw preconditionFailed(`scheduler cluster ${id} still has ${used.n} scheduler(s)`, {
        schedulers: used.n,
      });
    await tx.delete(schedulerClusters).where(eq(schedulerClusters.id, id));
    return { id };
  });
}

/** listRevisions returns a cluster's saved config revisions, newest first. */
export async function listRevisions(
  db: Database,
  q: PageQuery & { id: number },
): Promise<Page<RevisionRow>> {
  await getCluster(db, q.id);
  const where = eq(configRevisions.schedulerClusterId, q.id);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(configRevisions)
      .where(where)
      .orderBy(desc(configRevisions.revision))
      .limit(q.perPage)
      .offset(offsetOf(q)),
    db.select({ n: count() }).from(configRevisions).where(where),
  ]);
  return pageOf(rows, total?.n ?? 0, q);
}
