import type { TRPCRouterRecord } from "@trpc/server";

import { IdInput } from "../../schemas/common";
import {
  AssignRolesInput,
  CreateRoleInput,
  ListRolesInput,
  UpdateRoleInput,
} from "../../schemas/roles";
import { assignRoles, createRole, deleteRole, listRoles, updateRole } from "../../services/roles";
import { permitted } from "../trpc";

/** rolesRouter manages custom roles and who holds which role. */
export const rolesRouter = {
  list: permitted("roles", "read")
    .input(ListRolesInput)
    .query(({ ctx, input }) => listRoles(ctx.services.db, input)),
  create: permitted("roles", "write")
    .input(CreateRoleInput)
    .mutation(({ ctx, input }) => createRole(ctx.services.db, input)),
  update: permitted("roles", "write")
    .input(IdInput.extend(UpdateRoleInput.shape))
    .mutation(({ ctx, input }) => updateRole(ctx.services.db, input.id, input)),
  delete: permitted("roles", "write")
    .input(IdInput)
    .mutation(({ ctx, input }) => deleteRole(ctx.services.db, input.id)),
  assign: permitted("roles", "write")
    .input(AssignRolesInput)
    .mutation(({ ctx, input }) => assignRoles(ctx.services.db, input.userId, input.roleIds)),
} satisfies TRPCRouterRecord;
