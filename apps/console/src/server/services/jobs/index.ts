import type { z } from "zod";

import type { Database } from "@df/db";
import { and, asc, count, desc, eq, jobs, schedulerClusters, schedulers } from "@df/db";
import { invalidArgument, notFound } from "@df/errors";

import type { ManagerServices } from "..";
import type { CreateJobInput, ListJobsInput } from "../../schemas/jobs";
import { offsetOf, pageOf, type Page } from "../pagination";
import { parseOrThrow } from "../validation";
import { JOB_TYPES, PreheatArgsSchema, TaskArgsSchema, type JobType } from "./args";
import { taskIdOf } from "./payload";
import { publicArgs, sealArgs, type StoredArgs } from "./sealing";
import type { JobResult, JobState } from "./state";
import { insertJob, partsOf, type JobRow } from "./store";

/** JobView is a job as every API shows it: secrets never included. */
export interface JobView {
  id: number;
  type: string;
  bio: string;
  state: JobState;
  args: Record<string, unknown>;
  result: JobResult | null;
  userId: number | null;
  schedulerClusterIds: number[];
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** jobView renders a stored job. */
export const jobView = (row: JobRow): JobView => ({
  id: row.id,
  type: row.type,
  bio: row.bio,
  state: row.state as JobState,
  args: publicArgs(row.args),
  result: (row.result as JobResult | null) ?? null,
  userId: row.userId,
  schedulerClusterIds: partsOf(row).map((p) => p.scheduler_cluster_id),
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  finishedAt: row.finishedAt,
});

/** isJobType narrows a string to a JobType. */
const isJobType = (t: string): t is JobType => (JOB_TYPES as readonly string[]).includes(t);

/** storedArgsOf validates the args of a job type and prepares them for storing. */
function storedArgsOf(services: ManagerServices, type: JobType, raw: unknown): StoredArgs {
  if (type === "preheat")
    return sealArgs(parseOrThrow(PreheatArgsSchema, raw ?? {}, "args"), services.secretBox);
  const args = parseOrThrow(TaskArgsSchema, raw ?? {}, "args");
  return { ...args, task_id: taskIdOf(args) };
}

/**
 * targetsOf picks the job's clusters: the named ones (each must exist, and job creation is rate
 * limited per named cluster), else every cluster with an active scheduler (every cluster when
 * none has one). A cluster without any active scheduler is refused with the reason.
 */
async function targetsOf(
  services: ManagerServices,
  ids: readonly number[],
): Promise<Array<{ id: number; refused?: string }>> {
  const clusters = await services.db
    .select({
      id: schedulerClusters.id,
      name: schedulerClusters.name,
      config: schedulerClusters.config,
    })
    .from(schedulerClusters)
    .orderBy(asc(schedulerClusters.id));
  const named = [...new Set(ids)].map((id) => {
    const c = clusters.find((x) => x.id === id);
    if (!c)
      throw invalidArgument("scheduler_cluster_ids", `scheduler cluster ${id} does not exist`);
    return c;
  });
  if (named.length)
    services.jobRateLimiter.take(named.map((c) => ({ id: c.id, rate: c.config.job_rate_limit })));
  const active = await services.db
    .select({ clusterId: schedulers.schedulerClusterId })
    .from(schedulers)
    .where(eq(schedulers.state, "active"));
  const serves = (id: number) =>
    active.some((a) => a.clusterId === id) || services.jobs.subscribed(id).length > 0;
  const chosen = named.length
    ? named
    : clusters.some((c) => serves(c.id))
      ? clusters.filter((c) => serves(c.id))
      : clusters;
  return chosen.map((c) =>
    serves(c.id)
      ? { id: c.id }
      : { id: c.id, refused: `no active scheduler in scheduler cluster ${c.id} (${c.name})` },
  );
}

/**
 * createJob validates a job request (type, then args, then clusters), stores it PENDING and
 * returns at once; the dispatcher sends it to one scheduler per target cluster. Nothing is
 * stored when any input is invalid.
 */
export async function createJob(
  services: ManagerServices,
  input: z.output<typeof CreateJobInput>,
  userId: number | null,
): Promise<JobView> {
  if (!isJobType(input.type))
    throw invalidArgument(
      "type",
      `must be one of ${JOB_TYPES.join(", ")} (got ${JSON.stringify(input.type)})`,
    );
  const args = storedArgsOf(services, input.type, input.args);
  const clusters = await targetsOf(services, input.schedulerClusterIds ?? []);
  const row = await insertJob(services.db, {
    type: input.type,
    bio: input.bio,
    args,
    userId,
    clusters,
  });
  if (row.state === "PENDING") services.jobs.kick();
  return jobView(row);
}

/** getJob returns one job. */
export async function getJob(db: Database, id: number): Promise<JobView> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  if (!row) throw notFound("job", id);
  return jobView(row);
}

/** listJobs returns jobs newest first, filtered by type, state and creator. */
export async function listJobs(
  db: Database,
  q: z.output<typeof ListJobsInput>,
): Promise<Page<JobView>> {
  const where = and(
    q.type ? eq(jobs.type, q.type) : undefined,
    q.state ? eq(jobs.state, q.state) : undefined,
    q.userId ? eq(jobs.userId, q.userId) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db.select().from(jobs).where(where).orderBy(desc(jobs.id)).limit(q.perPage).offset(offsetOf(q)),
    db.select({ n: count() }).from(jobs).where(where),
  ]);
  return pageOf(rows.map(jobView), total?.n ?? 0, q);
}

/** waitForJob polls a job until it leaves PENDING or `timeoutMs` passes, and returns it. */
export async function waitForJob(db: Database, id: number, timeoutMs: number): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(db, id);
    if (job.state !== "PENDING" || Date.now() >= deadline) return job;
    await new Promise((r) => setTimeout(r, 250));
  }
}
