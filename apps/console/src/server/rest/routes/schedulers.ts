import { ListSchedulersInput } from "../../schemas/components";
import { listSchedulers } from "../../services/schedulers";
import { paged } from "../respond";
import { defineRoute, type Route } from "../router";

/** schedulersRoutes list registered schedulers. */
export const schedulersRoutes: Route[] = [
  defineRoute({
    method: "GET",
    path: "/api/v1/schedulers",
    action: "schedulers.list",
    summary: "List schedulers with state, lastKeepAliveAt and appliedRevision",
    permission: { resource: "schedulers", action: "read" },
    query: ListSchedulersInput,
    handle: async ({ ctx, query, url }) => paged(url, await listSchedulers(ctx.services.db, query)),
  }),
];
