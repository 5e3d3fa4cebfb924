import { PageInput } from "../../schemas/common";
import { pageClusters } from "../../services/scheduler-clusters";
import { paged } from "../respond";
import { defineRoute, type Route } from "../router";

/** oapiClustersRoutes are the open API for automation: personal access tokens with scope `cluster` only. */
export const oapiClustersRoutes: Route[] = [
  defineRoute({
    method: "GET",
    path: "/oapi/v1/clusters",
    action: "oapi.clusters.list",
    summary: "List scheduler clusters (Bearer personal access token with scope cluster)",
    permission: { resource: "clusters", action: "read" },
    bearerOnly: true,
    query: PageInput,
    handle: async ({ ctx, query, url }) => paged(url, await pageClusters(ctx.services.db, query)),
  }),
];
