import {
  bigint,
  boolean,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  timestamp,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";

import type {
  ClientConfig,
  SchedulerConfig,
  Scopes,
  SeedPeerClusterConfig,
} from "@df/cluster-config";
import { baseColumns } from "./columns";

/** schedulerClusters group schedulers; scopes decide which hosts a cluster serves. */
export const schedulerClusters = pgTable(
  "scheduler_clusters",
  {
    ...baseColumns(),
    name: varchar({ length: 256 }).notNull(),
    bio: varchar({ length: 1024 }).notNull().default(""),
    config: jsonb().$type<SchedulerConfig>().notNull(),
    clientConfig: jsonb().$type<ClientConfig>().notNull(),
    scopes: jsonb().$type<Scopes>().notNull(),
    isDefault: boolean().notNull().default(false),
    /** configRevision increases on every config change; pushed with the config to components. */
    configRevision: bigint({ mode: "number" }).notNull().default(1),
  },
  (t) => [uniqueIndex("scheduler_clusters_name_uk").on(t.name)],
);

/** seedPeerClusters group seed peers; each is linked to scheduler clusters. */
export const seedPeerClusters = pgTable(
  "seed_peer_clusters",
  {
    ...baseColumns(),
    name: varchar({ length: 256 }).notNull(),
    bio: varchar({ length: 1024 }).notNull().default(""),
    config: jsonb().$type<SeedPeerClusterConfig>().notNull(),
  },
  (t) => [uniqueIndex("seed_peer_clusters_name_uk").on(t.name)],
);

/** seedPeerClusterSchedulerClusters links seed peer clusters to the scheduler clusters they feed. */
export const seedPeerClusterSchedulerClusters = pgTable(
  "seed_peer_cluster_scheduler_clusters",
  {
    seedPeerClusterId: integer()
      .notNull()
      .references(() => seedPeerClusters.id, { onDelete: "cascade" }),
    schedulerClusterId: integer()
      .notNull()
      .references(() => schedulerClusters.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.seedPeerClusterId, t.schedulerClusterId] })],
);

/** configRevisions keep every saved cluster config, so a change can be audited or rolled back. */
export const configRevisions = pgTable(
  "config_revisions",
  {
    ...baseColumns(),
    schedulerClusterId: integer()
      .notNull()
      .references(() => schedulerClusters.id, { onDelete: "cascade" }),
    revision: bigint({ mode: "number" }).notNull(),
    config: jsonb().$type<SchedulerConfig>().notNull(),
    clientConfig: jsonb().$type<ClientConfig>().notNull(),
    /** createdBy is the user who saved this revision; null for the seed. */
    createdBy: integer(),
  },
  (t) => [uniqueIndex("config_revisions_cluster_revision_uk").on(t.schedulerClusterId, t.revision)],
);

/** componentColumns are shared by schedulers and seed peers. */
const componentColumns = () => ({
  ...baseColumns(),
  hostname: varchar({ length: 256 }).notNull(),
  ip: varchar({ length: 64 }).notNull(),
  port: integer().notNull(),
  idc: varchar({ length: 1024 }).notNull().default(""),
  location: varchar({ length: 1024 }).notNull().default(""),
  /** state is `active` while the keep-alive stream lives, `inactive` after it drops. */
  state: varchar({ length: 16 }).notNull().default("inactive"),
  lastKeepAliveAt: timestamp({ withTimezone: true }),
  /** appliedRevision is the cluster config revision the component reports running. */
  appliedRevision: bigint({ mode: "number" }),
});

/** schedulers are registered scheduler instances. */
export const schedulers = pgTable(
  "schedulers",
  {
    ...componentColumns(),
    features: jsonb().$type<string[]>().notNull().default(["schedule", "preheat"]),
    schedulerClusterId: integer()
      .notNull()
      .references(() => schedulerClusters.id, { onDelete: "cascade" }),
  },
  (t) => [uniqueIndex("schedulers_uk").on(t.hostname, t.ip, t.schedulerClusterId)],
);

/** seedPeers are registered seed-peer dfdaemons. */
export const seedPeers = pgTable(
  "seed_peers",
  {
    ...componentColumns(),
    type: varchar({ length: 16 }).notNull().default("super"),
    downloadPort: integer().notNull(),
    proxyPort: integer().notNull().default(0),
    seedPeerClusterId: integer()
      .notNull()
      .references(() => seedPeerClusters.id, { onDelete: "cascade" }),
  },
  (t) => [uniqueIndex("seed_peers_uk").on(t.hostname, t.ip, t.seedPeerClusterId)],
);
