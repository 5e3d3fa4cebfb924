import { CreateRoleInput, ListRolesInput } from "../../schemas/roles";
import { createRole, listRoles } from "../../services/roles";
import { paged } from "../respond";
import { defineRoute, type Route } from "../router";

/** rolesRoutes list and create roles. */
export const rolesRoutes: Route[] = [
  defineRoute({
    method: "GET",
    path: "/api/v1/roles",
    action: "roles.list",
    summary: "List roles with their permissions",
    permission: { resource: "roles", action: "read" },
    query: ListRolesInput,
    handle: async ({ ctx, query, url }) => paged(url, await listRoles(ctx.services.db, query)),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/roles",
    action: "roles.create",
    summary: "Create a custom role with read/write permissions per resource",
    permission: { resource: "roles", action: "write" },
    body: CreateRoleInput,
    handle: async ({ ctx, body }) => ({ body: await createRole(ctx.services.db, body) }),
  }),
];
