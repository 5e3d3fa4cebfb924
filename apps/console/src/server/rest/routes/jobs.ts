import { CreateJobInput, ListJobsInput } from "../../schemas/jobs";
import { createJob, getJob, listJobs } from "../../services/jobs";
import { dragonflyJob } from "../job-json";
import { paged } from "../respond";
import { callerOf, defineRoute, idParam, type Route } from "../router";

/** JOBS_READ and JOBS_WRITE are the permissions of these routes (token scope `job`). */
const JOBS_READ = { resource: "jobs", action: "read" } as const;
const JOBS_WRITE = { resource: "jobs", action: "write" } as const;

/** jobRoutes are the job routes under `prefix`; the open API accepts only bearer tokens. */
function jobRoutes(prefix: "/api/v1" | "/oapi/v1"): Route[] {
  const open = prefix === "/oapi/v1";
  const name = open ? "oapi.jobs" : "jobs";
  const who = open ? " (Bearer personal access token with scope job)" : "";
  return [
    defineRoute({
      method: "POST",
      path: `${prefix}/jobs`,
      action: `${name}.create`,
      summary: `Create a preheat, get_task or delete_task job; answers at once with the PENDING job${who}. scheduler_cluster_ids null or empty means every cluster; creation is rate limited per named cluster (job_rate_limit, 429).`,
      permission: JOBS_WRITE,
      bearerOnly: open,
      body: CreateJobInput,
      handle: async ({ ctx, body }) => ({
        body: dragonflyJob(await createJob(ctx.services, body, callerOf(ctx).userId)),
      }),
    }),
    defineRoute({
      method: "GET",
      path: `${prefix}/jobs`,
      action: `${name}.list`,
      summary: `List jobs, newest first (filters: type, state, user_id)${who}`,
      permission: JOBS_READ,
      bearerOnly: open,
      query: ListJobsInput,
      handle: async ({ ctx, query, url }) => {
        const page = await listJobs(ctx.services.db, query);
        return paged(url, { ...page, items: page.items.map(dragonflyJob) });
      },
    }),
    defineRoute({
      method: "GET",
      path: `${prefix}/jobs/:id`,
      action: `${name}.get`,
      summary: `Get a job: state PENDING, SUCCESS or FAILURE, and result.job_states[] per cluster${who}`,
      permission: JOBS_READ,
      bearerOnly: open,
      handle: async ({ ctx, params }) => ({
        body: dragonflyJob(await getJob(ctx.services.db, idParam(params))),
      }),
    }),
  ];
}

/** jobsRoutes serve jobs on the console API and on the open API Harbor calls. */
export const jobsRoutes: Route[] = [...jobRoutes("/api/v1"), ...jobRoutes("/oapi/v1")];
