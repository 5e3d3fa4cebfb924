import type { TRPCRouterRecord } from "@trpc/server";

import { ListSchedulersInput } from "../../schemas/components";
import { listSchedulers } from "../../services/schedulers";
import { permitted } from "../trpc";

/** schedulersRouter lists registered schedulers with liveness and applied config revision. */
export const schedulersRouter = {
  list: permitted("schedulers", "read")
    .input(ListSchedulersInput)
    .query(({ ctx, input }) => listSchedulers(ctx.services.db, input)),
} satisfies TRPCRouterRecord;
