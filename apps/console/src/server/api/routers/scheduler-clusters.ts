import type { TRPCRouterRecord } from "@trpc/server";

import { asc, schedulerClusters } from "@df/db";

import { permitted } from "../trpc";

/** schedulerClustersRouter lists and edits scheduler clusters. */
export const schedulerClustersRouter = {
  list: permitted("clusters", "read").query(({ ctx }) =>
    ctx.services.db.select().from(schedulerClusters).orderBy(asc(schedulerClusters.id)),
  ),
} satisfies TRPCRouterRecord;
