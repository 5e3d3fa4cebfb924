import type { TRPCRouterRecord } from "@trpc/server";

import { IdInput } from "../../schemas/common";
import { CreateTokenInput, ListTokensInput } from "../../schemas/personal-access-tokens";
import { createToken, listTokens, revokeToken } from "../../services/personal-access-tokens";
import { permitted } from "../trpc";

/** personalAccessTokensRouter creates (secret shown once), lists and revokes tokens. */
export const personalAccessTokensRouter = {
  list: permitted("personal-access-tokens", "read")
    .input(ListTokensInput)
    .query(({ ctx, input }) => listTokens(ctx.services.db, input)),
  create: permitted("personal-access-tokens", "write")
    .input(CreateTokenInput)
    .mutation(({ ctx, input }) => createToken(ctx.services.db, ctx.principal.userId, input)),
  revoke: permitted("personal-access-tokens", "write")
    .input(IdInput)
    .mutation(({ ctx, input }) => revokeToken(ctx.services.db, input.id)),
} satisfies TRPCRouterRecord;
