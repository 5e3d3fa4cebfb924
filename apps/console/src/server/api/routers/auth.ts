import type { TRPCRouterRecord } from "@trpc/server";
import { SignInInput } from "../../schemas/users";
import { signInFrom, signOut } from "../../services/auth";
import { authedProcedure, publicProcedure } from "../trpc";

/** authRouter signs users in and out and tells who is signed in. */
export const authRouter = {
  signIn: publicProcedure.input(SignInInput).mutation(async ({ ctx, input }) => {
    const result = await signInFrom(ctx.services, input, ctx.clientIp);
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
