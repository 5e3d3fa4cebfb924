import { z } from "zod";

import { DfError, ErrorCode } from "@df/errors";

import type { Context } from "../../api/trpc";
import { createJob, getJob, type JobView } from "../../services/jobs";
import { callerOf, defineRoute, idParam, type Route } from "../router";

/** LegacyPreheatInput is the Dragonfly v1 preheat body old Harbor versions send. */
const LegacyPreheatInput = z.object({
  type: z.string().max(64).default("image"),
  url: z.string().max(4096),
  headers: z.record(z.string(), z.string()).nullish(),
});

/** enabled refuses the legacy routes unless `jobs.legacyPreheatApi` is on. */
function enabled(ctx: Context): void {
  if (!ctx.services.config.jobs.legacyPreheatApi)
    throw new DfError(
      ErrorCode.NotFound,
      "the legacy preheat API is disabled; enable jobs.legacyPreheatApi (DF_MANAGER_JOBS_LEGACY_PREHEAT_API=true)",
    );
}

/** legacyStatus maps a job to v1's WAITING, RUNNING, SUCCESS or FAIL. */
function legacyStatus(job: JobView): string {
  if (job.state === "SUCCESS") return "SUCCESS";
  if (job.state === "FAILURE") return "FAIL";
  return job.result?.job_states.some((p) => p.attempt > 0) ? "RUNNING" : "WAITING";
}

/** LEGACY = the permission and auth of the legacy routes: a bearer token with scope job. */
const LEGACY = { bearerOnly: true } as const;

/** legacyPreheatsRoutes are Dragonfly v1's preheat API for Harbor ≤ 2.11, behind a flag. */
export const legacyPreheatsRoutes: Route[] = [
  defineRoute({
    method: "GET",
    path: "/_ping",
    action: "legacy.ping",
    summary: "Legacy v1 health check (when jobs.legacyPreheatApi is on)",
    permission: "public",
    handle: ({ ctx }) => {
      enabled(ctx);
      return Promise.resolve({ body: "OK" });
    },
  }),
  defineRoute({
    method: "POST",
    path: "/preheats",
    action: "legacy.preheats.create",
    summary: "Legacy v1 image preheat: answers {ID} (when jobs.legacyPreheatApi is on)",
    permission: { resource: "jobs", action: "write" },
    ...LEGACY,
    body: LegacyPreheatInput,
    handle: async ({ ctx, body }) => {
      enabled(ctx);
      const job = await createJob(
        ctx.services,
        { type: "preheat", bio: "legacy preheat", args: { ...body, type: body.type || "image" } },
        callerOf(ctx).userId,
      );
      return { body: { ID: String(job.id) } };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/preheats/:id",
    action: "legacy.preheats.get",
    summary:
      "Legacy v1 preheat status: WAITING, RUNNING, SUCCESS or FAIL (when jobs.legacyPreheatApi is on)",
    permission: { resource: "jobs", action: "read" },
    ...LEGACY,
    handle: async ({ ctx, params }) => {
      enabled(ctx);
      const job = await getJob(ctx.services.db, idParam(params));
      const errors = job.result?.job_states.map((p) => p.error).filter(Boolean) ?? [];
      return {
        body: {
          ID: String(job.id),
          status: legacyStatus(job),
          startTime: job.createdAt.toISOString(),
          finishTime: job.finishedAt?.toISOString() ?? "",
          errorMsg: errors.join("; "),
        },
      };
    },
  }),
];
