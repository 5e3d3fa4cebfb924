import { describe, expect, it } from "vitest";

import { planPart, type PlanContext } from "./plan";
import { aggregateState, applyReport, assignPart, newPart, type JobPart } from "./state";

const A = { hostname: "a", ip: "10.0.0.1" };
const B = { hostname: "b", ip: "10.0.0.2" };
const T0 = new Date("2026-01-01T00:00:00Z");
const fresh = newPart(7, "preheat", 1, T0);
const onA = assignPart(fresh, A, T0);

/** ctx is a context at T0 + `after` ms with the given subscriptions. */
const ctx = (after: number, over: Partial<PlanContext> = {}): PlanContext => ({
  now: T0.getTime() + after,
  subscribed: [],
  sent: false,
  waitingSince: T0.getTime(),
  activeSchedulers: 1,
  settling: false,
  timeoutMs: 60_000,
  graceMs: 30_000,
  reassignMs: 5_000,
  maxAttempts: 3,
  ...over,
});

describe("planPart", () => {
  it.each<{ name: string; part: JobPart; ctx: PlanContext; want: object }>([
    {
      name: "sends a new part to the first subscriber",
      part: fresh,
      ctx: ctx(0, { subscribed: [B, A] }),
      want: { kind: "assign", to: B },
    },
    {
      name: "fails a new part at once when the cluster has no active scheduler",
      part: fresh,
      ctx: ctx(0, { activeSchedulers: 0 }),
      want: { kind: "fail", error: "no active scheduler in scheduler cluster 1" },
    },
    {
      name: "waits for schedulers to come back right after a manager start",
      part: fresh,
      ctx: ctx(0, { activeSchedulers: 0, settling: true }),
      want: { kind: "wait" },
    },
    {
      name: "fails a new part when active schedulers never subscribe",
      part: fresh,
      ctx: ctx(30_000),
      want: { kind: "fail" },
    },
    {
      name: "resends to its scheduler once it subscribes again",
      part: onA,
      ctx: ctx(1_000, { subscribed: [A] }),
      want: { kind: "resend", to: A },
    },
    {
      name: "waits on its scheduler after sending",
      part: onA,
      ctx: ctx(1_000, { subscribed: [A], sent: true }),
      want: { kind: "wait" },
    },
    {
      name: "fails after the job timeout",
      part: onA,
      ctx: ctx(95_000, { subscribed: [A], sent: true }),
      want: { kind: "fail" },
    },
    {
      name: "waits for a lost scheduler a little",
      part: onA,
      ctx: ctx(4_000, { subscribed: [B] }),
      want: { kind: "wait" },
    },
    {
      name: "moves to another scheduler when its own stays away",
      part: onA,
      ctx: ctx(5_000, { subscribed: [B] }),
      want: { kind: "assign", to: B },
    },
    {
      name: "fails when no scheduler takes over within the grace",
      part: onA,
      ctx: ctx(30_000),
      want: { kind: "fail" },
    },
  ])("$name", ({ part, ctx: c, want }) => {
    expect(planPart(part, c)).toMatchObject(want);
  });
});

describe("job state", () => {
  it("is PENDING while any part runs, FAILURE if any failed, else SUCCESS", () => {
    const done = { ...fresh, state: "SUCCESS" as const };
    const failed = { ...fresh, state: "FAILURE" as const };
    expect(aggregateState([done, fresh, failed])).toBe("PENDING");
    expect(aggregateState([done, failed])).toBe("FAILURE");
    expect(aggregateState([done, done])).toBe("SUCCESS");
  });

  it("takes only reports of the current attempt from its scheduler", () => {
    const report = {
      scheduler: A,
      attempt: 1,
      outcome: "SUCCESS" as const,
      result: { ok: 1 },
      error: "",
    };
    expect(applyReport(onA, report, T0)).toMatchObject({ state: "SUCCESS", results: [{ ok: 1 }] });
    expect(applyReport(onA, { ...report, attempt: 2 }, T0)).toBeUndefined();
    expect(applyReport(onA, { ...report, scheduler: B }, T0)).toBeUndefined();
    expect(applyReport(onA, { ...report, outcome: "RUNNING" }, T0)).toMatchObject({
      state: "PENDING",
    });
    expect(applyReport(onA, { ...report, outcome: "FAILURE" }, T0)).toMatchObject({
      state: "FAILURE",
      error: "the scheduler reported a failure",
    });
  });
});
