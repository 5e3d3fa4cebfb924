import { ListUsersInput, CreateUserInput, SignInInput, UpdateUserInput } from "../../schemas/users";
import { signInFrom, signOut } from "../../services/auth";
import { createUser, getUser, listUsers, updateUser } from "../../services/users";
import { paged } from "../respond";
import { callerOf, defineRoute, idParam, type Route } from "../router";

/** usersRoutes are sign-in, sign-out and user administration under /api/v1/users. */
export const usersRoutes: Route[] = [
  defineRoute({
    method: "POST",
    path: "/api/v1/users/signin",
    action: "auth.signIn",
    summary: "Sign in; sets the session cookie and returns the user",
    permission: "public",
    body: SignInInput,
    handle: async ({ ctx, body }) => {
      const result = await signInFrom(ctx.services, body, ctx.clientIp);
      ctx.setSessionCookie(result.token, result.expiresAt);
      return { body: result.user };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/users/signout",
    action: "auth.signOut",
    summary: "Sign out; ends the session and clears its cookie",
    permission: "public",
    handle: async ({ ctx }) => {
      if (ctx.sessionToken) await signOut(ctx.services.db, ctx.sessionToken);
      ctx.clearSessionCookie();
      return { body: { ok: true } };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/users",
    action: "users.list",
    summary: "List users",
    permission: { resource: "users", action: "read" },
    query: ListUsersInput,
    handle: async ({ ctx, query, url }) => paged(url, await listUsers(ctx.services.db, query)),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/users",
    action: "users.create",
    summary: "Create a user (guest role unless roleIds are given)",
    permission: { resource: "users", action: "write" },
    body: CreateUserInput,
    handle: async ({ ctx, body }) => ({ body: await createUser(ctx.services.db, body) }),
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/users/:id",
    action: "users.get",
    summary: "Get a user",
    permission: { resource: "users", action: "read" },
    handle: async ({ ctx, params }) => ({ body: await getUser(ctx.services.db, idParam(params)) }),
  }),
  defineRoute({
    method: "PATCH",
    path: "/api/v1/users/:id",
    action: "users.update",
    summary: "Enable or disable a user, or reset its password",
    permission: { resource: "users", action: "write" },
    body: UpdateUserInput,
    handle: async ({ ctx, params, body }) => ({
      body: await updateUser(ctx.services.db, callerOf(ctx).userId, idParam(params), body),
    }),
  }),
];
