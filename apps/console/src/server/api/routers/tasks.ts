import type { TRPCRouterRecord } from "@trpc/server";

import { DeleteTaskInput, TaskIdentityInput } from "../../schemas/jobs";
import { deleteTask, searchTask } from "../../services/tasks";
import { permitted } from "../trpc";

/** tasksRouter finds which peers cache a task and deletes a task's cache (audited). */
export const tasksRouter = {
  search: permitted("tasks", "read")
    .input(TaskIdentityInput)
    .mutation(({ ctx, input }) => searchTask(ctx.services, input, ctx.principal.userId)),
  delete: permitted("tasks", "write")
    .input(DeleteTaskInput)
    .mutation(({ ctx, input }) => deleteTask(ctx.services, input, ctx.principal.userId)),
} satisfies TRPCRouterRecord;
