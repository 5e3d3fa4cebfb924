import { CreateTokenInput, ListTokensInput } from "../../schemas/personal-access-tokens";
import { createToken, listTokens, revokeToken } from "../../services/personal-access-tokens";
import { paged } from "../respond";
import { callerOf, defineRoute, idParam, type Route } from "../router";

/** personalAccessTokensRoutes create (secret shown once), list and revoke tokens. */
export const personalAccessTokensRoutes: Route[] = [
  defineRoute({
    method: "GET",
    path: "/api/v1/personal-access-tokens",
    action: "personalAccessTokens.list",
    summary: "List personal access tokens (never their secrets)",
    permission: { resource: "personal-access-tokens", action: "read" },
    query: ListTokensInput,
    handle: async ({ ctx, query, url }) => paged(url, await listTokens(ctx.services.db, query)),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/personal-access-tokens",
    action: "personalAccessTokens.create",
    summary: "Create a token for the caller; `token` is in this response only",
    permission: { resource: "personal-access-tokens", action: "write" },
    body: CreateTokenInput,
    handle: async ({ ctx, body }) => ({
      body: await createToken(ctx.services.db, callerOf(ctx).userId, body),
    }),
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/v1/personal-access-tokens/:id",
    action: "personalAccessTokens.revoke",
    summary: "Revoke a token; it is refused from the next request on",
    permission: { resource: "personal-access-tokens", action: "write" },
    handle: async ({ ctx, params }) => ({
      body: await revokeToken(ctx.services.db, idParam(params)),
    }),
  }),
];
