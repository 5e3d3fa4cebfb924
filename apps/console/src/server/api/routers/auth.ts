import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { signIn, signOut } from "../../services/auth";
import { authedProcedure, publicProcedure } from "../trpc";

/** SignInInput is shared with REST `POST /api/v1/users/signin`. */
export const SignInInput = z.object({
  name: z.string().min(1, "name is required").max(256),
  password: z.string().min(1, "password is required").max(256),
});

/** authRouter signs users in and out and tells who is signed in. */
export const authRouter = {
  signIn: publicProcedure.input(SignInInput).mutation(async ({ ctx, input }) => {
    const { services } = ctx;
    const result = await signIn(services.db, services.signinThrottle, {
      ...input,
      throttleKey: `${input.name}@${ctx.clientIp}`,
      ttlHours: services.config.session.ttlHours,
    });
    ctx.setSessionCookie(result.token, result.expiresAt);
    return result.user;
  }),
  signOut: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await signOut(ctx.services.db, ctx.sessionToken);
    ctx.clearSessionCookie();
    return { ok: true };
  }),
  me: authedProcedure.query(({ ctx }) => ({
    id: ctx.principal.userId,
    name: ctx.principal.name,
    kind: ctx.principal.kind,
    permissions: Object.fromEntries(ctx.principal.permissions),
  })),
} satisfies TRPCRouterRecord;
