import type { Database } from "@df/db";
import { asc, eq, jobs, jobSchedulerClusters } from "@df/db";

import type { StoredArgs } from "./sealing";
import { failPart, newPart, resultOf, type JobPart, type JobResult } from "./state";

/** JobRow is a stored job. */
export type JobRow = typeof jobs.$inferSelect;

/** partsOf reads a job's parts from its stored result. */
export const partsOf = (row: Pick<JobRow, "result">): JobPart[] =>
  ((row.result as JobResult | null)?.job_states ?? []).map((p) => ({ ...p }));

/** asJson stores a typed result in the jsonb column. */
const asJson = (r: JobResult): Record<string, unknown> => r as unknown as Record<string, unknown>;

/** NewJob is what `insertJob` stores. */
export interface NewJob {
  type: string;
  bio: string;
  args: StoredArgs;
  userId: number | null;
  /** clusters are the target clusters, each with a reason when it cannot run the job at all. */
  clusters: Array<{ id: number; refused?: string }>;
}

/**
 * insertJob stores a PENDING job with one part per target cluster (a refused cluster's part is
 * failed at once with its reason) and links the clusters, in one transaction.
 */
export async function insertJob(db: Database, job: NewJob): Promise<JobRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(jobs)
      .values({ type: job.type, bio: job.bio, args: job.args, userId: job.userId })
      .returning();
    if (!row) throw new Error("insert returned no job");
    const now = new Date();
    const parts = job.clusters.map((c) => {
      const part = newPart(row.id, job.type, c.id, now);
      return c.refused ? failPart(part, c.refused, now) : part;
    });
    const result = resultOf(parts, row.createdAt, now);
    const finished = result.state !== "PENDING";
    const [saved] = await tx
      .update(jobs)
      .set({ result: asJson(result), state: result.state, finishedAt: finished ? now : null })
      .where(eq(jobs.id, row.id))
      .returning();
    if (job.clusters.length)
      await tx
        .insert(jobSchedulerClusters)
        .values(job.clusters.map((c) => ({ jobId: row.id, schedulerClusterId: c.id })));
    return saved ?? row;
  });
}

/**
 * updateParts locks a PENDING job, lets `change` return its new parts (undefined = no change),
 * and stores them with the aggregate state; a job that leaves PENDING gets `finishedAt`.
 * It returns the saved row, or undefined when nothing was written.
 */
export async function updateParts(
  db: Database,
  jobId: number,
  change: (parts: JobPart[], row: JobRow) => JobPart[] | undefined,
): Promise<JobRow | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(jobs).where(eq(jobs.id, jobId)).for("update");
    if (row?.state !== "PENDING") return undefined;
    const next = change(partsOf(row), row);
    if (!next) return undefined;
    const now = new Date();
    const result = resultOf(next, row.createdAt, now);
    const [saved] = await tx
      .update(jobs)
      .set({
        result: asJson(result),
        state: result.state,
        finishedAt: result.state === "PENDING" ? null : now,
      })
      .where(eq(jobs.id, jobId))
      .returning();
    return saved;
  });
}

/** pendingJobs lists the jobs still PENDING, oldest first. */
export function pendingJobs(db: Database): Promise<JobRow[]> {
  return db.select().from(jobs).where(eq(jobs.state, "PENDING")).orderBy(asc(jobs.id));
}
