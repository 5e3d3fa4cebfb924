/**
 * What to do next with one pending part, decided from the part, the schedulers subscribed now and
 * the clock. Pure: the dispatcher applies the decisions.
 */
import type { JobPart, SchedulerRef } from "./state";

/** RESULT_SLACK_MS is how long after its timeout a dispatched part may still report. */
export const RESULT_SLACK_MS = 30_000;

/** PartAction is the decision for one part. */
export type PartAction =
  | { kind: "wait" }
  | { kind: "assign"; to: SchedulerRef }
  | { kind: "resend"; to: SchedulerRef }
  | { kind: "fail"; error: string };

/** PlanContext is what the decision depends on. */
export interface PlanContext {
  now: number;
  /** subscribed are the schedulers of the part's cluster holding SubscribeJobs, preferred first. */
  subscribed: readonly SchedulerRef[];
  /** sent tells whether the current attempt was sent to that subscription already. */
  sent: boolean;
  /** waitingSince is when this process first saw the part waiting for a scheduler. */
  waitingSince: number;
  /** activeSchedulers is how many schedulers of the cluster the database lists active. */
  activeSchedulers: number;
  /** settling is true for `graceMs` after the manager started, while schedulers reconnect. */
  settling: boolean;
  timeoutMs: number;
  graceMs: number;
  reassignMs: number;
  maxAttempts: number;
}

const same = (a: SchedulerRef, b: SchedulerRef | null) =>
  a.hostname === b?.hostname && a.ip === b.ip;

/** seconds renders milliseconds for a message. */
const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/** name renders a scheduler for a message. */
const name = (s: SchedulerRef) => `${s.hostname} (${s.ip})`;

/**
 * planPart decides: a dispatched part is resent to its scheduler when that one subscribes again,
 * failed after its timeout, and moved to another scheduler of the cluster when its own stayed
 * away `reassignMs` (up to `maxAttempts`), or failed after `graceMs` without any. An undispatched
 * part goes to a subscribed scheduler, or fails at once when the cluster has no active scheduler
 * (unless the manager just started), or after `graceMs` when active schedulers never subscribe.
 */
export function planPart(part: JobPart, ctx: PlanContext): PartAction {
  const cluster = `scheduler cluster ${part.scheduler_cluster_id}`;
  const waited = ctx.now - ctx.waitingSince;
  const owner = part.scheduler;
  if (owner) {
    const back = ctx.subscribed.find((s) => same(s, owner));
    if (back) {
      const dispatched = Date.parse(part.dispatched_at ?? "") || ctx.now;
      if (ctx.now - dispatched > ctx.timeoutMs + RESULT_SLACK_MS)
        return {
          kind: "fail",
          error: `no result from scheduler ${name(owner)} within the job timeout of ${seconds(ctx.timeoutMs)}`,
        };
      return ctx.sent ? { kind: "wait" } : { kind: "resend", to: back };
    }
    const other = ctx.subscribed.find((s) => !same(s, owner));
    if (other && waited >= ctx.reassignMs && part.attempt < ctx.maxAttempts)
      return { kind: "assign", to: other };
    if (waited < ctx.graceMs) return { kind: "wait" };
    const why =
      part.attempt >= ctx.maxAttempts ? `; it was tried on ${part.attempt} schedulers` : "";
    return {
      kind: "fail",
      error: `scheduler ${name(owner)} of ${cluster} went away mid-job and no other scheduler took over within ${seconds(ctx.graceMs)}${why}`,
    };
  }
  const first = ctx.subscribed[0];
  if (first) return { kind: "assign", to: first };
  if (ctx.activeSchedulers === 0 && !ctx.settling)
    return { kind: "fail", error: `no active scheduler in ${cluster}` };
  if (waited < ctx.graceMs) return { kind: "wait" };
  return {
    kind: "fail",
    error: `no scheduler of ${cluster} took the job within ${seconds(ctx.graceMs)} (its active schedulers do not subscribe to jobs)`,
  };
}
