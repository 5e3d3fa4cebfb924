import type { TRPCRouterRecord } from "@trpc/server";

import { ListAuditsInput } from "../../schemas/audits";
import { listAudits } from "../../services/audit";
import { permitted } from "../trpc";

/** auditsRouter lists the audit log, newest first. */
export const auditsRouter = {
  list: permitted("audits", "read")
    .input(ListAuditsInput)
    .query(({ ctx, input }) => listAudits(ctx.services.db, input)),
} satisfies TRPCRouterRecord;
