/**
 * The durable state of a job, kept in `jobs.result` in the shape Harbor and Dragonfly's console
 * read: one `job_states[]` entry ("part") per target scheduler cluster. Pure functions only.
 */

/** JobState is what users see: PENDING until every part reported, then FAILURE or SUCCESS. */
export type JobState = "PENDING" | "SUCCESS" | "FAILURE";

/** SchedulerRef names the scheduler a part was sent to. */
export interface SchedulerRef {
  hostname: string;
  ip: string;
}

/** JobPart is one cluster's share of a job and its outcome. */
export interface JobPart {
  /** task_uuid is `<job id>-<cluster id>`, stable across retries. */
  task_uuid: string;
  task_name: string;
  scheduler_cluster_id: number;
  state: JobState;
  /** results hold the scheduler's result (progress while PENDING), e.g. a PreheatResponse. */
  results: unknown[];
  /** error says why the part failed ("" otherwise). */
  error: string;
  created_at: string;
  updated_at: string;
  ttl: number;
  /** attempt counts dispatches; a report for an older attempt is ignored. */
  attempt: number;
  /** scheduler is the scheduler running the current attempt (null = not dispatched). */
  scheduler: SchedulerRef | null;
  dispatched_at: string | null;
}

/** JobResult is the stored `result` of a job. */
export interface JobResult {
  state: JobState;
  created_at: string;
  updated_at: string;
  job_states: JobPart[];
}

/** Report is one scheduler report about a part, as ReportJobResult carries it. */
export interface Report {
  scheduler: SchedulerRef;
  attempt: number;
  outcome: "RUNNING" | "SUCCESS" | "FAILURE";
  result: unknown;
  error: string;
}

/** aggregateState is PENDING while any part is unfinished, FAILURE if any failed, else SUCCESS. */
export function aggregateState(parts: readonly JobPart[]): JobState {
  if (parts.some((p) => p.state === "PENDING")) return "PENDING";
  return parts.some((p) => p.state === "FAILURE") ? "FAILURE" : "SUCCESS";
}

/** newPart is a cluster's part before dispatch. */
export function newPart(jobId: number, type: string, clusterId: number, now: Date): JobPart {
  const at = now.toISOString();
  return {
    task_uuid: `${jobId}-${clusterId}`,
    task_name: type,
    scheduler_cluster_id: clusterId,
    state: "PENDING",
    results: [],
    error: "",
    created_at: at,
    updated_at: at,
    ttl: 0,
    attempt: 0,
    scheduler: null,
    dispatched_at: null,
  };
}

/** resultOf assembles the stored result from the parts. */
export function resultOf(parts: JobPart[], createdAt: Date, now: Date): JobResult {
  return {
    state: aggregateState(parts),
    created_at: createdAt.toISOString(),
    updated_at: now.toISOString(),
    job_states: parts,
  };
}

/** failPart ends a pending part with a reason; finished parts stay as they are. */
export function failPart(part: JobPart, error: string, now: Date): JobPart {
  if (part.state !== "PENDING") return part;
  return { ...part, state: "FAILURE", error, updated_at: now.toISOString() };
}

/** assignPart dispatches a part (again) to `scheduler` as the next attempt. */
export function assignPart(part: JobPart, scheduler: SchedulerRef, now: Date): JobPart {
  const at = now.toISOString();
  return { ...part, attempt: part.attempt + 1, scheduler, dispatched_at: at, updated_at: at };
}

/**
 * applyReport folds a scheduler report into its part. Reports for another attempt, from another
 * scheduler, or about a finished part are stale and return undefined (nothing to store).
 */
export function applyReport(part: JobPart, report: Report, now: Date): JobPart | undefined {
  const current =
    part.state === "PENDING" &&
    part.attempt === report.attempt &&
    part.scheduler?.hostname === report.scheduler.hostname &&
    part.scheduler.ip === report.scheduler.ip;
  if (!current) return undefined;
  const base = { ...part, results: [report.result], updated_at: now.toISOString() };
  if (report.outcome === "RUNNING") return base;
  const error =
    report.outcome === "FAILURE" ? report.error || "the scheduler reported a failure" : "";
  return { ...base, state: report.outcome, error };
}

/** jobMessageId names one dispatch of a part on the wire: `<job id>:<cluster id>:<attempt>`. */
export const jobMessageId = (jobId: number, part: JobPart): string =>
  `${jobId}:${part.scheduler_cluster_id}:${part.attempt}`;

/** parseJobMessageId reads a dispatch id back; undefined when it is not one. */
export function parseJobMessageId(
  id: string,
): { jobId: number; clusterId: number; attempt: number } | undefined {
  const m = /^(\d+):(\d+):(\d+)$/.exec(id);
  if (!m) return undefined;
  return { jobId: Number(m[1]), clusterId: Number(m[2]), attempt: Number(m[3]) };
}

/** errorsOf joins the errors of failed parts, one line per cluster. */
export const errorsOf = (parts: readonly JobPart[]): string =>
  parts
    .filter((p) => p.state === "FAILURE")
    .map((p) => `scheduler cluster ${p.scheduler_cluster_id}: ${p.error}`)
    .join("\n");
