import type { Database } from "@df/db";
import {
  ClientConfigSchema,
  configRevisions,
  eq,
  SchedulerConfigSchema,
  schedulerClusters,
  type ClientConfig,
  type SchedulerConfig,
} from "@df/db";
import { notFound } from "@df/errors";

import type { ConfigBus, ConfigSnapshot } from "./config-bus";
import type { Tx } from "./db-util";
import { parseOrThrow } from "./validation";

/** ConfigChange holds the keys to change; each is merged onto the current document, then validated. */
export interface ConfigChange {
  config?: Record<string, unknown> | undefined;
  clientConfig?: Record<string, unknown> | undefined;
}

/** ClusterConfigRow is the part of a cluster row a snapshot is made of. */
type ClusterConfigRow = Pick<
  typeof schedulerClusters.$inferSelect,
  "id" | "configRevision" | "config" | "clientConfig" | "updatedAt"
>;

/** snapshotOf turns a cluster row into the snapshot pushed to watchers. */
export const snapshotOf = (row: ClusterConfigRow): ConfigSnapshot => ({
  schedulerClusterId: row.id,
  revision: row.configRevision,
  config: row.config,
  clientConfig: row.clientConfig,
  updatedAt: row.updatedAt,
});

/** validateConfigs merges a change onto the current documents and validates both, naming bad keys. */
export function validateConfigs(
  current: { config: SchedulerConfig; clientConfig: ClientConfig },
  change: ConfigChange,
): { config: SchedulerConfig; clientConfig: ClientConfig } {
  return {
    config: parseOrThrow(SchedulerConfigSchema, { ...current.config, ...change.config }, "config"),
    clientConfig: parseOrThrow(
      ClientConfigSchema,
      { ...current.clientConfig, ...change.clientConfig },
      "clientConfig",
    ),
  };
}

/** currentClusterConfig reads the cluster's current configuration. */
export async function currentClusterConfig(
  db: Database,
  clusterId: number,
): Promise<ConfigSnapshot> {
  const [row] = await db
    .select()
    .from(schedulerClusters)
    .where(eq(schedulerClusters.id, clusterId));
  if (!row) throw notFound("scheduler cluster", clusterId);
  return snapshotOf(row);
}

/**
 * applyConfigChange saves a config change inside `tx`: it locks the cluster row, validates, and,
 * only if a document really changed, bumps the revision and records it in config_revisions. The
 * caller publishes the returned snapshot after commit, so watchers never see an uncommitted one.
 */
export async function applyConfigChange(
  tx: Tx,
  clusterId: number,
  change: ConfigChange,
  userId: number | null,
): Promise<{ snapshot: ConfigSnapshot; changed: boolean }> {
  const [row] = await tx
    .select()
    .from(schedulerClusters)
    .where(eq(schedulerClusters.id, clusterId))
    .for("update");
  if (!row) throw notFound("scheduler cluster", clusterId);
  const next = validateConfigs(row, change);
  const same =
    JSON.stringify(next.config) === JSON.stringify(SchedulerConfigSchema.parse(row.config)) &&
    JSON.stringify(next.clientConfig) ===
      JSON.stringify(ClientConfigSchema.parse(row.clientConfig));
  if (same) return { snapshot: snapshotOf(row), changed: false };
  const revision = row.configRevision + 1;
  const [updated] = await tx
    .update(schedulerClusters)
    .set({ ...next, configRevision: revision })
    .where(eq(schedulerClusters.id, clusterId))
    .returning();
  if (!updated) throw notFound("scheduler cluster", clusterId);
  await tx.insert(configRevisions).values({
    schedulerClusterId: clusterId,
    revision,
    ...next,
    createdBy: userId,
  });
  return { snapshot: snapshotOf(updated), changed: true };
}

/** saveClusterConfig saves a config change and pushes the new revision to every watcher at once. */
export async function saveClusterConfig(
  deps: { db: Database; configBus: ConfigBus },
  clusterId: number,
  change: ConfigChange,
  userId: number | null,
): Promise<ConfigSnapshot> {
  const result = await deps.db.transaction((tx) =>
    applyConfigChange(tx, clusterId, change, userId),
  );
  if (result.changed) deps.configBus.publish(result.snapshot);
  return result.snapshot;
}
