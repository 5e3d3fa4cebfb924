import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { IdInput } from "../../schemas/common";
import {
  ChangePasswordInput,
  CreateUserInput,
  ListUsersInput,
  UpdateUserInput,
  USER_STATES,
} from "../../schemas/users";
import {
  changeOwnPassword,
  createUser,
  getUser,
  listUsers,
  updateUser,
} from "../../services/users";
import { permitted, sessionProcedure } from "../trpc";

/** usersRouter manages accounts; anyone signed in may change their own password. */
export const usersRouter = {
  list: permitted("users", "read")
    .input(ListUsersInput)
    .query(({ ctx, input }) => listUsers(ctx.services.db, input)),
  get: permitted("users", "read")
    .input(IdInput)
    .query(({ ctx, input }) => getUser(ctx.services.db, input.id)),
  create: permitted("users", "write")
    .input(CreateUserInput)
    .mutation(({ ctx, input }) => createUser(ctx.services.db, input)),
  setState: permitted("users", "write")
    .input(IdInput.extend({ state: z.enum(USER_STATES) }))
    .mutation(({ ctx, input }) =>
      updateUser(ctx.services.db, ctx.principal.userId, input.id, { state: input.state }),
    ),
  resetPassword: permitted("users", "write")
    .input(IdInput.extend({ password: UpdateUserInput.shape.password.unwrap() }))
    .mutation(({ ctx, input }) =>
      updateUser(ctx.services.db, ctx.principal.userId, input.id, { password: input.password }),
    ),
  changePassword: sessionProcedure
    .input(ChangePasswordInput)
    .mutation(({ ctx, input }) =>
      changeOwnPassword(ctx.services.db, ctx.principal.userId, ctx.sessionToken, input),
    ),
} satisfies TRPCRouterRecord;
