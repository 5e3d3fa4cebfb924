import type { Outputs } from "../types";

/** Job is one job as the server returns it. */
export type Job = Outputs["jobs"]["get"];

/** JOB_LIVE_MS is how often pages showing a pending job refetch it. */
export const JOB_LIVE_MS = 2_000;

/** BADGE_CLASS colours each job state. */
const BADGE_CLASS: Record<string, string> = { SUCCESS: "ok", FAILURE: "bad", PENDING: "warn" };

/** JobStateBadge shows PENDING, SUCCESS or FAILURE as a coloured badge. */
export function JobStateBadge({ state }: { state: string }) {
  return <span className={`badge ${BADGE_CLASS[state] ?? "off"}`}>{state}</span>;
}

/** TYPE_LABEL names job types for people. */
export const TYPE_LABEL: Record<string, string> = {
  preheat: "Preheat",
  get_task: "Task search",
  delete_task: "Task delete",
};

/** jobSummary is a one-line description of what a job is about. */
export function jobSummary(job: Job): string {
  const a = job.args;
  if (job.type === "preheat") {
    const urls = Array.isArray(a.urls) ? (a.urls as string[]) : [];
    const first = typeof a.url === "string" && a.url ? a.url : (urls[0] ?? "");
    const more = urls.length > 1 ? ` (+${urls.length - 1} more)` : "";
    return `${String(a.type)} ${first}${more}`;
  }
  return `task ${String(a.task_id ?? "")}`;
}
