import type { TRPCRouterRecord } from "@trpc/server";

import { ListSeedPeersInput } from "../../schemas/components";
import { listSeedPeers } from "../../services/seed-peers";
import { permitted } from "../trpc";

/** seedPeersRouter lists registered seed peers with liveness and applied config revision. */
export const seedPeersRouter = {
  list: permitted("seed-peers", "read")
    .input(ListSeedPeersInput)
    .query(({ ctx, input }) => listSeedPeers(ctx.services.db, input)),
} satisfies TRPCRouterRecord;
