import { z } from "zod";

import type { Database } from "@df/db";
import { and, asc, count, eq, ilike, seedPeerClusters, seedPeers } from "@df/db";
import { notFound } from "@df/errors";

import { containsPattern } from "./db-util";
import { offsetOf, pageOf, type Page, type PageQuery } from "./pagination";
import { RegistrationSchema } from "./schedulers";
import { parseOrThrow } from "./validation";

/** SeedPeerRow is a stored seed peer. */
export type SeedPeerRow = typeof seedPeers.$inferSelect;

/** SeedPeerView is a seed peer with its cluster's name. */
export type SeedPeerView = SeedPeerRow & { clusterName: string };

/** SeedPeerRegistration is UpdateSeedPeer's request. */
const SeedPeerRegistration = RegistrationSchema.extend({
  downloadPort: z.number().int().min(1, "must be a port 1-65535").max(65535),
  proxyPort: z.number().int().min(0).max(65535),
  seedPeerClusterId: z.number().int().min(1, "is required"),
});

/** registerSeedPeer upserts a seed peer by (hostname, ip, cluster); its state is left unchanged. */
export async function registerSeedPeer(db: Database, request: unknown): Promise<SeedPeerRow> {
  const r = parseOrThrow(SeedPeerRegistration, request);
  const [cluster] = await db
    .select({ id: seedPeerClusters.id })
    .from(seedPeerClusters)
    .where(eq(seedPeerClusters.id, r.seedPeerClusterId));
  if (!cluster) throw notFound("seed peer cluster", r.seedPeerClusterId);
  const set = {
    port: r.port,
    downloadPort: r.downloadPort,
    proxyPort: r.proxyPort,
    idc: r.idc,
    location: r.location,
    updatedAt: new Date(),
  };
  const [row] = await db
    .insert(seedPeers)
    .values({ ...set, hostname: r.hostname, ip: r.ip, seedPeerClusterId: r.seedPeerClusterId })
    .onConflictDoUpdate({
      target: [seedPeers.hostname, seedPeers.ip, seedPeers.seedPeerClusterId],
      set,
    })
    .returning();
  if (!row) throw new Error("upsert returned no seed peer");
  return row;
}

/** SeedPeerFilter narrows the seed peer list. */
export interface SeedPeerFilter extends PageQuery {
  seedPeerClusterId?: number | undefined;
  state?: string | undefined;
  hostname?: string | undefined;
}

/** listSeedPeers returns seed peers by id with state and applied config revision. */
export async function listSeedPeers(db: Database, q: SeedPeerFilter): Promise<Page<SeedPeerView>> {
  const where = and(
    q.seedPeerClusterId ? eq(seedPeers.seedPeerClusterId, q.seedPeerClusterId) : undefined,
    q.state ? eq(seedPeers.state, q.state) : undefined,
    q.hostname ? ilike(seedPeers.hostname, containsPattern(q.hostname)) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({ p: seedPeers, clusterName: seedPeerClusters.name })
      .from(seedPeers)
      .innerJoin(seedPeerClusters, eq(seedPeerClusters.id, seedPeers.seedPeerClusterId))
      .where(where)
      .orderBy(asc(seedPeers.id))
      .limit(q.perPage)
      .offset(offsetOf(q)),
    db.select({ n: count() }).from(seedPeers).where(where),
  ]);
  return pageOf(
    rows.map((r) => ({ ...r.p, clusterName: r.clusterName })),
    total?.n ?? 0,
    q,
  );
}
