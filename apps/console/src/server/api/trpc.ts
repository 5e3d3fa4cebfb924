/**
 * The one place that builds the tRPC context, transformer, error mapping and procedure builders.
 * Routers in ./routers only declare procedures; they never check permissions by hand.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import superjson from "superjson";

import type { Action, Resource } from "@df/db";
import { DfError, ErrorCode, isDfError, type ErrorCodeValue } from "@df/errors";

import type { ManagerServices } from "../services";
import { actorOf, audited, auditEventOf } from "../services/audit";
import { can, type Principal } from "../services/principal";

/** Context is built per request by the HTTP edge. */
export interface Context {
  services: ManagerServices;
  principal: Principal | null;
  /** clientIp is the caller's address, used for sign-in throttling. */
  clientIp: string;
  /** sessionToken is the raw session cookie, if any. */
  sessionToken: string | undefined;
  setSessionCookie(token: string, expiresAt: Date): void;
  clearSessionCookie(): void;
}

/** TRPC_CODE_OF maps every stable DfError code to a tRPC code, once. */
const TRPC_CODE_OF: Record<ErrorCodeValue, TRPC_ERROR_CODE_KEY> = {
  DF_ERR_INVALID_ARGUMENT: "BAD_REQUEST",
  DF_ERR_INVALID_CONFIG: "BAD_REQUEST",
  DF_ERR_NOT_FOUND: "NOT_FOUND",
  DF_ERR_ALREADY_EXISTS: "CONFLICT",
  DF_ERR_UNAUTHENTICATED: "UNAUTHORIZED",
  DF_ERR_PERMISSION_DENIED: "FORBIDDEN",
  DF_ERR_RATE_LIMITED: "TOO_MANY_REQUESTS",
  DF_ERR_INVALID_STATE_TRANSITION: "PRECONDITION_FAILED",
  DF_ERR_DIGEST_MISMATCH: "UNPROCESSABLE_CONTENT",
  DF_ERR_SOURCE: "BAD_GATEWAY",
  DF_ERR_TIMEOUT: "TIMEOUT",
  DF_ERR_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  DF_ERR_INTERNAL: "INTERNAL_SERVER_ERROR",
};

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return { ...shape, data: { ...shape.data, dfCode: isDfError(cause) ? cause.code : undefined } };
  },
});

/** mapErrors turns typed service errors into TRPCErrors with the matching code. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isDfError(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: TRPC_CODE_OF[cause.code], message: cause.message, cause });
  }
  return result;
});

/**
 * auditMutations records every mutation, including refused ones, through the one audit helper.
 * The action is the procedure path (`users.create`), the same name REST routes use.
 */
const auditMutations = t.middleware(async ({ ctx, type, path, getRawInput, next }) => {
  if (type !== "mutation") return next();
  const input = await getRawInput().catch(() => undefined);
  const claimed = (input as { name?: unknown } | undefined)?.name;
  const actor = actorOf(ctx.principal, typeof claimed === "string" ? claimed : undefined);
  const result = await next();
  await audited(ctx.services, actor, auditEventOf(path, input), async () => {
    if (!result.ok) throw result.error;
    return result.data;
  }).catch(() => undefined);
  return result;
});

/** createTRPCRouter builds a router from procedure records. */
export const createTRPCRouter = t.router;

/** publicProcedure needs no sign-in (sign-in itself, health); its mutations are audited. */
export const publicProcedure = t.procedure.use(mapErrors).use(auditMutations);

/** authedProcedure needs a principal; the context's principal is then non-null. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.principal) throw new DfError(ErrorCode.Unauthenticated, "sign in first");
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});

/** sessionProcedure needs a signed-in user; personal access tokens are refused (e.g. password change). */
export const sessionProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.principal.kind !== "user")
    throw new DfError(ErrorCode.PermissionDenied, "sign in with a password to do this");
  return next();
});

/**
 * permitted requires `action` on `resource`: the single authorization check for tRPC. Refusals
 * are DfErrors, so tRPC, REST and the audit log all name them by the same codes.
 */
export const permitted = (resource: Resource, action: Action) =>
  authedProcedure.use(({ ctx, next }) => {
    if (!can(ctx.principal, resource, action))
      throw new DfError(
        ErrorCode.PermissionDenied,
        `${action} permission on ${resource} is required`,
      );
    return next();
  });
