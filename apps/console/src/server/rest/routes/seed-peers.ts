import { ListSeedPeersInput } from "../../schemas/components";
import { listSeedPeers } from "../../services/seed-peers";
import { paged } from "../respond";
import { defineRoute, type Route } from "../router";

/** seedPeersRoutes list registered seed peers. */
export const seedPeersRoutes: Route[] = [
  defineRoute({
    method: "GET",
    path: "/api/v1/seed-peers",
    action: "seedPeers.list",
    summary: "List seed peers with state, lastKeepAliveAt and appliedRevision",
    permission: { resource: "seed-peers", action: "read" },
    query: ListSeedPeersInput,
    handle: async ({ ctx, query, url }) => paged(url, await listSeedPeers(ctx.services.db, query)),
  }),
];
