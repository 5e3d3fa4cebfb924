import { ListAuditsInput } from "../../schemas/audits";
import { listAudits } from "../../services/audit";
import { paged } from "../respond";
import { defineRoute, type Route } from "../router";

/** auditsRoutes list the audit log. */
export const auditsRoutes: Route[] = [
  defineRoute({
    method: "GET",
    path: "/api/v1/audits",
    action: "audits.list",
    summary:
      "List audit entries, newest first (filters: actor_type, actor_name, action, target_type, state, since, until)",
    permission: { resource: "audits", action: "read" },
    query: ListAuditsInput,
    handle: async ({ ctx, query, url }) => paged(url, await listAudits(ctx.services.db, query)),
  }),
];
