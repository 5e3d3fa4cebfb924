import type { TRPCRouterRecord } from "@trpc/server";

import { IdInput } from "../../schemas/common";
import {
  CreateClusterInput,
  ListRevisionsInput,
  UpdateClusterInput,
} from "../../schemas/scheduler-clusters";
import {
  createCluster,
  deleteCluster,
  getCluster,
  listClusters,
  listRevisions,
  updateCluster,
} from "../../services/scheduler-clusters";
import { permitted } from "../trpc";

/** schedulerClustersRouter lists and edits scheduler clusters; config saves are pushed at once. */
export const schedulerClustersRouter = {
  list: permitted("clusters", "read").query(({ ctx }) => listClusters(ctx.services.db)),
  get: permitted("clusters", "read")
    .input(IdInput)
    .query(({ ctx, input }) => getCluster(ctx.services.db, input.id)),
  revisions: permitted("clusters", "read")
    .input(ListRevisionsInput)
    .query(({ ctx, input }) => listRevisions(ctx.services.db, input)),
  create: permitted("clusters", "write")
    .input(CreateClusterInput)
    .mutation(({ ctx, input }) => createCluster(ctx.services.db, input, ctx.principal.userId)),
  update: permitted("clusters", "write")
    .input(IdInput.extend(UpdateClusterInput.shape))
    .mutation(({ ctx, input }) =>
      updateCluster(ctx.services, input.id, input, ctx.principal.userId),
    ),
  delete: permitted("clusters", "write")
    .input(IdInput)
    .mutation(({ ctx, input }) => deleteCluster(ctx.services.db, input.id)),
} satisfies TRPCRouterRecord;
