import { ErrorCode, isDfError } from "@df/errors";
import { JobState, type Job, type ReportJobResultRequest } from "@df/proto/manager/v2";
import { Backoff } from "@df/manager-client";

import type { JobEnv, JobOutcome } from "./env";
import { PreheatArgsSchema, runPreheat } from "./preheat";
import { runDeleteTask, runGetTask, TaskJobArgsSchema } from "./task-jobs";

/** PROGRESS_EVERY_MS is the most often one job reports progress. */
const PROGRESS_EVERY_MS = 1_000;

/** REMEMBER_MS is how long a finished job's id is remembered, so a resend is not run twice. */
const REMEMBER_MS = 60 * 60_000;

/** DEFAULT_TIMEOUT_MS bounds a job that came without a timeout. */
const DEFAULT_TIMEOUT_MS = 60 * 60_000;

/** Send delivers one report to the manager; it rejects when the manager is unreachable. */
export type Send = (req: ReportJobResultRequest) => Promise<void>;

/**
 * JobRunner runs each job the manager sends once: a job already running, or finished within
 * REMEMBER_MS, is ignored when the manager sends it again (it does after a reconnect until the
 * result arrives). Progress is reported at most every PROGRESS_EVERY_MS, best effort; the final
 * result is retried with backoff until the manager has it, across manager restarts.
 */
export class JobRunner {
  private readonly running = new Map<string, AbortController>();
  private readonly finished = new Map<string, number>();
  private readonly unsent = new Map<string, ReportJobResultRequest>();
  private readonly backoff = new Backoff();
  private retry: NodeJS.Timeout | undefined;
  private flushing = false;
  private stopped = false;

  constructor(
    private readonly env: JobEnv,
    private readonly send: Send,
  ) {}

  /** accept starts a job unless it is running or done. */
  accept(job: Job): void {
    const now = Date.now();
    for (const [id, at] of this.finished) if (now - at > REMEMBER_MS) this.finished.delete(id);
    if (this.running.has(job.id) || this.finished.has(job.id)) {
      this.env.log.debug("job already taken", { job: job.id });
      return;
    }
    const abort = new AbortController();
    this.running.set(job.id, abort);
    const timer = setTimeout(() => abort.abort(), job.timeoutMs || DEFAULT_TIMEOUT_MS);
    this.env.log.info("job started", { job: job.id, type: job.type });
    void this.run(job, abort.signal)
      .catch((err: unknown): JobOutcome => ({ ok: false, error: String(err), result: null }))
      .then((outcome) => {
        clearTimeout(timer);
        this.running.delete(job.id);
        if (abort.signal.aborted && abort.signal.reason === "stopping") return;
        this.finished.set(job.id, Date.now());
        this.env.log.info("job finished", {
          job: job.id,
          ok: outcome.ok,
          ...(outcome.ok ? {} : { error: outcome.error }),
        });
        this.unsent.set(
          job.id,
          this.report(
            job,
            outcome.ok ? JobState.JOB_STATE_SUCCESS : JobState.JOB_STATE_FAILURE,
            outcome.result,
            outcome.ok ? "" : outcome.error,
          ),
        );
        this.flush();
      });
  }

  /** run dispatches a job to its handler. */
  private async run(job: Job, signal: AbortSignal): Promise<JobOutcome> {
    const args: unknown = JSON.parse(job.argsJson || "{}");
    if (job.type === "preheat") {
      let last = 0;
      let timer: NodeJS.Timeout | undefined;
      let latest: unknown;
      const progress = (result: unknown) => {
        latest = result;
        if (timer) return;
        timer = setTimeout(
          () => {
            timer = undefined;
            last = Date.now();
            this.send(this.report(job, JobState.JOB_STATE_RUNNING, latest, "")).catch(
              () => undefined,
            );
          },
          Math.max(0, last + PROGRESS_EVERY_MS - Date.now()),
        );
      };
      try {
        return await runPreheat(PreheatArgsSchema.parse(args), this.env, signal, progress);
      } finally {
        clearTimeout(timer);
      }
    }
    if (job.type === "get_task") return runGetTask(TaskJobArgsSchema.parse(args).task_id, this.env);
    if (job.type === "delete_task")
      return runDeleteTask(TaskJobArgsSchema.parse(args).task_id, this.env);
    return { ok: false, error: `scheduler cannot run jobs of type ${job.type}`, result: null };
  }

  /** report builds a ReportJobResult request. */
  private report(
    job: Job,
    state: JobState,
    result: unknown,
    error: string,
  ): ReportJobResultRequest {
    return {
      jobId: job.id,
      hostname: this.env.hostname,
      ip: this.env.advertiseIp,
      state,
      resultJson: result === undefined ? "" : JSON.stringify(result),
      error,
    };
  }

  /** flush delivers the final reports not yet acknowledged, retrying with backoff. */
  flush(): void {
    if (this.flushing || this.retry) return;
    this.flushing = true;
    void (async () => {
      for (const [id, req] of [...this.unsent]) {
        try {
          await this.send(req);
          this.unsent.delete(id);
          this.backoff.reset();
        } catch (err) {
          // A refused report (the job is gone, or the report is malformed) will never be taken.
          const code = isDfError(err) ? err.code : undefined;
          if (code !== ErrorCode.NotFound && code !== ErrorCode.InvalidArgument) break;
          this.env.log.warn("manager refused a job report", { job: id, error: String(err) });
          this.unsent.delete(id);
        }
      }
      this.flushing = false;
      if (this.unsent.size && !this.stopped)
        this.retry = setTimeout(() => {
          this.retry = undefined;
          this.flush();
        }, this.backoff.next());
    })();
  }

  /** stop aborts running jobs (the manager gives them to another scheduler) and stops retrying. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    for (const abort of this.running.values()) abort.abort("stopping");
  }
}
