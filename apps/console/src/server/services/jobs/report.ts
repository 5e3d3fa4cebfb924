import { invalidArgument } from "@df/errors";
import { JobState, type ReportJobResultRequest } from "@df/proto/manager/v2";

import type { ManagerServices } from "..";
import { applyReport, parseJobMessageId, type Report } from "./state";
import { updateParts } from "./store";

/** OUTCOME_OF maps a reported JobState to the part outcome. */
const OUTCOME_OF: Partial<Record<JobState, Report["outcome"]>> = {
  [JobState.JOB_STATE_RUNNING]: "RUNNING",
  [JobState.JOB_STATE_SUCCESS]: "SUCCESS",
  [JobState.JOB_STATE_FAILURE]: "FAILURE",
};

/**
 * reportJobResult folds one scheduler report into its job: progress is stored on the part, a
 * final state finishes it, and the job finishes with its last part. Reports for a superseded
 * attempt (the part moved to another scheduler) or a finished part are accepted and ignored.
 */
export async function reportJobResult(
  services: Pick<ManagerServices, "db" | "jobs">,
  req: ReportJobResultRequest,
): Promise<void> {
  const ref = parseJobMessageId(req.jobId);
  if (!ref)
    throw invalidArgument("job_id", `${JSON.stringify(req.jobId)} is not a dispatched job id`);
  const outcome = OUTCOME_OF[req.state];
  if (!outcome) throw invalidArgument("state", "must be RUNNING, SUCCESS or FAILURE");
  if (!req.hostname || !req.ip) throw invalidArgument("hostname", "hostname and ip are required");
  let result: unknown = null;
  if (req.resultJson) {
    try {
      result = JSON.parse(req.resultJson);
    } catch {
      throw invalidArgument("result_json", "is not valid JSON");
    }
  }
  const report: Report = {
    scheduler: { hostname: req.hostname, ip: req.ip },
    attempt: ref.attempt,
    outcome,
    result,
    error: req.error.slice(0, 8192),
  };
  const now = new Date();
  const saved = await updateParts(services.db, ref.jobId, (parts) => {
    const i = parts.findIndex((p) => p.scheduler_cluster_id === ref.clusterId);
    const part = parts[i];
    const next = part ? applyReport(part, report, now) : undefined;
    if (!next) return undefined;
    return parts.map((p, j) => (j === i ? next : p));
  });
  if (saved && saved.state !== "PENDING") services.jobs.finished(saved);
}
