import type { TRPCRouterRecord } from "@trpc/server";

import { IdInput } from "../../schemas/common";
import { CreateJobInput, ListJobsInput } from "../../schemas/jobs";
import { createJob, getJob, listJobs } from "../../services/jobs";
import { permitted } from "../trpc";

/** jobsRouter creates jobs (preheat, task search and delete) and follows them. */
export const jobsRouter = {
  list: permitted("jobs", "read")
    .input(ListJobsInput)
    .query(({ ctx, input }) => listJobs(ctx.services.db, input)),
  get: permitted("jobs", "read")
    .input(IdInput)
    .query(({ ctx, input }) => getJob(ctx.services.db, input.id)),
  create: permitted("jobs", "write")
    .input(CreateJobInput)
    .mutation(({ ctx, input }) => createJob(ctx.services, input, ctx.principal.userId)),
} satisfies TRPCRouterRecord;
