/**
 * A tiny REST router: routes are data (method, path, permission, zod schemas, handler), so the
 * same table drives dispatch, the permission tests and the OpenAPI document.
 */
import type { z } from "zod";

import type { Action, Resource } from "@df/db";
import { DfError, ErrorCode } from "@df/errors";

import type { Context } from "../api/trpc";
import { can, type Principal } from "../services/principal";
import { IdInput } from "../schemas/common";
import { parseOrThrow } from "../services/validation";

/** HttpMethod is a method a route answers. */
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/** Permission is what a route requires: nothing, or an action on a resource. */
export type Permission = "public" | { resource: Resource; action: Action };

/** RestCall is one validated request as a handler sees it. */
export interface RestCall<Q, B> {
  ctx: Context;
  params: Record<string, string>;
  query: Q;
  body: B;
  url: URL;
}

/** RestReply is a handler's answer; `body` is sent as JSON (none for undefined). */
export interface RestReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** RouteSpec declares a route; `action` names it in the audit log and as OpenAPI operationId. */
export interface RouteSpec<QS extends z.ZodType | undefined, BS extends z.ZodType | undefined> {
  method: HttpMethod;
  path: string;
  action: string;
  summary: string;
  permission: Permission;
  /** bearerOnly accepts only personal access tokens (the open API `/oapi/v1`). */
  bearerOnly?: boolean;
  query?: QS;
  body?: BS;
  handle(call: RestCall<Out<QS>, Out<BS>>): Promise<RestReply>;
}

/** Route is a declared route with its input validation bound to the handler. */
export interface Route {
  method: HttpMethod;
  path: string;
  action: string;
  summary: string;
  permission: Permission;
  bearerOnly: boolean;
  query: z.ZodType | undefined;
  body: z.ZodType | undefined;
  /** run validates raw query and body (keys already camelCased) and calls the handler. */
  run(call: RestCall<unknown, unknown>): Promise<RestReply>;
}

/** defineRoute binds a route's schemas to its handler, keeping the handler's input types. */
export function defineRoute<
  QS extends z.ZodType | undefined = undefined,
  BS extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<QS, BS>): Route {
  return {
    method: spec.method,
    path: spec.path,
    action: spec.action,
    summary: spec.summary,
    permission: spec.permission,
    bearerOnly: spec.bearerOnly ?? false,
    query: spec.query,
    body: spec.body,
    run: (call) =>
      spec.handle({
        ...call,
        query: (spec.query ? parseOrThrow(spec.query, call.query) : undefined) as Out<QS>,
        body: (spec.body ? parseOrThrow(spec.body, call.body ?? {}) : undefined) as Out<BS>,
      }),
  };
}

/** matchPath returns the `:name` parameters when `path` fits `pattern`, else undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = path.replace(/\/+$/, "").split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, w] of want.entries()) {
    const g = got[i] ?? "";
    if (w.startsWith(":")) {
      if (!g) return undefined;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) return undefined;
  }
  return params;
}

/** findRoute picks the route for a method and path; a known path with another method is 405-like. */
export function findRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } {
  let pathKnown = false;
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method === method || (method === "HEAD" && route.method === "GET"))
      return { route, params };
    pathKnown = true;
  }
  if (pathKnown)
    throw new DfError(ErrorCode.InvalidArgument, `method ${method} is not allowed on ${path}`, {
      method,
    });
  throw new DfError(ErrorCode.NotFound, `no API route ${method} ${path}`, { path });
}

/** authorize applies a route's permission with the same `can()` as tRPC. */
export function authorize(route: Route, principal: Principal | null): void {
  if (route.permission === "public") return;
  if (!principal || (route.bearerOnly && principal.kind !== "token"))
    throw new DfError(
      ErrorCode.Unauthenticated,
      route.bearerOnly ? "send Authorization: Bearer <personal access token>" : "sign in first",
    );
  const { resource, action } = route.permission;
  if (!can(principal, resource, action))
    throw new DfError(
      ErrorCode.PermissionDenied,
      `${action} permission on ${resource} is required`,
    );
}

/** idParam reads the `:id` path parameter as a positive integer. */
export const idParam = (params: Record<string, string>): number => parseOrThrow(IdInput, params).id;

/** callerOf is the authenticated caller of a non-public route. */
export function callerOf(ctx: Context): Principal {
  if (!ctx.principal) throw new DfError(ErrorCode.Unauthenticated, "sign in first");
  return ctx.principal;
}
