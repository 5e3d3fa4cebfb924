import { z } from "zod";

import { ACTIONS, RESOURCES } from "@df/db";

import { PageInput } from "./common";

/** PermissionInput grants `read` or `write` on one resource. */
export const PermissionInput = z.object({
  resource: z.enum(RESOURCES),
  action: z.enum(ACTIONS),
});

/** ListRolesInput pages the role list. */
export const ListRolesInput = PageInput;

/** CreateRoleInput creates a custom role. */
export const CreateRoleInput = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "must be 1-64 of a-z, 0-9, '_' or '-'"),
  description: z.string().max(1024).default(""),
  permissions: z.array(PermissionInput).default([]),
});

/** UpdateRoleInput changes a custom role's description and/or replaces its permissions. */
export const UpdateRoleInput = z.object({
  description: z.string().max(1024).optional(),
  permissions: z.array(PermissionInput).optional(),
});

/** AssignRolesInput replaces the roles a user holds. */
export const AssignRolesInput = z.object({
  userId: z.number().int().positive(),
  roleIds: z.array(z.number().int().positive()),
});
