import { PageInput } from "../../schemas/common";
import { CreateClusterInput, UpdateClusterInput } from "../../schemas/scheduler-clusters";
import {
  createCluster,
  deleteCluster,
  getCluster,
  pageClusters,
  updateCluster,
} from "../../services/scheduler-clusters";
import { paged } from "../respond";
import { callerOf, defineRoute, idParam, type Route } from "../router";

/** CLUSTERS_READ and CLUSTERS_WRITE are the permissions of these routes. */
const CLUSTERS_READ = { resource: "clusters", action: "read" } as const;
const CLUSTERS_WRITE = { resource: "clusters", action: "write" } as const;

/** schedulerClustersRoutes manage scheduler clusters; config changes are pushed to watchers at once. */
export const schedulerClustersRoutes: Route[] = [
  defineRoute({
    method: "GET",
    path: "/api/v1/scheduler-clusters",
    action: "schedulerClusters.list",
    summary: "List scheduler clusters",
    permission: CLUSTERS_READ,
    query: PageInput,
    handle: async ({ ctx, query, url }) => paged(url, await pageClusters(ctx.services.db, query)),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/scheduler-clusters",
    action: "schedulerClusters.create",
    summary: "Create a scheduler cluster (config revision 1)",
    permission: CLUSTERS_WRITE,
    body: CreateClusterInput,
    handle: async ({ ctx, body }) => ({
      body: await createCluster(ctx.services.db, body, callerOf(ctx).userId),
    }),
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/scheduler-clusters/:id",
    action: "schedulerClusters.get",
    summary: "Get a scheduler cluster",
    permission: CLUSTERS_READ,
    handle: async ({ ctx, params }) => ({
      body: await getCluster(ctx.services.db, idParam(params)),
    }),
  }),
  defineRoute({
    method: "PATCH",
    path: "/api/v1/scheduler-clusters/:id",
    action: "schedulerClusters.update",
    summary:
      "Update a scheduler cluster; given config keys are merged and pushed as a new revision",
    permission: CLUSTERS_WRITE,
    body: UpdateClusterInput,
    handle: async ({ ctx, params, body }) => ({
      body: await updateCluster(ctx.services, idParam(params), body, callerOf(ctx).userId),
    }),
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/v1/scheduler-clusters/:id",
    action: "schedulerClusters.delete",
    summary: "Delete a scheduler cluster that is not the default and has no schedulers",
    permission: CLUSTERS_WRITE,
    handle: async ({ ctx, params }) => ({
      body: await deleteCluster(ctx.services.db, idParam(params)),
    }),
  }),
];
