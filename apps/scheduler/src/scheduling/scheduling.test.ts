import { describe, expect, it } from "vitest";

import { defaultSchedulerConfig } from "@df/cluster-config";

import { createSwarm } from "../resource/testing";
import { RejectReason } from "./filter";
import type { Decision } from "./scheduling";
import { DecisionLog, findCandidateParents } from "./scheduling";

const config = { ...defaultSchedulerConfig(), candidate_parent_limit: 2 };
const all = <T>(items: readonly T[], n: number) => items.slice(0, n);

describe("findCandidateParents", () => {
  it("filters, scores, trims to candidate_parent_limit and records every rejection", () => {
    const s = createSwarm();
    const child = s.peer("c", "hc", "Running", []);
    s.peer("same", "hc", "Succeeded");
    s.peer("idle", "h0", "Pending");
    for (const id of ["a", "b", "d"]) s.peer(id, `h-${id}`, "Succeeded");
    s.host("h-d").announce({ ...s.host("h-d").info, type: "seed" });
    const { decision, parents } = findCandidateParents(child, config, { now: 42, sample: all });
    expect(parents.map((p) => p.id)).toEqual(["d", "a"]);
    expect(decision).toMatchObject({
      taskId: "task-1",
      peerId: "c",
      hostId: "hc",
      at: 42,
      attempt: 0,
      outcome: "candidate_parents",
    });
    expect(decision.chosen.map((c) => [c.peerId, c.hostId])).toEqual([
      ["d", "h-d"],
      ["a", "h-a"],
    ]);
    expect(decision.chosen[0]?.breakdown.hostType).toBe(1);
    expect(decision.rejected).toEqual([
      { peerId: "same", hostId: "hc", reason: RejectReason.SameHost },
      { peerId: "idle", hostId: "h0", reason: RejectReason.NotServing },
    ]);
  });

  it("reports no parent when every candidate is rejected", () => {
    const s = createSwarm();
    const child = s.peer("c", "hc", "Running", []);
    s.peer("p", "hp", "Succeeded");
    child.blockParents.add("p");
    const { decision, parents } = findCandidateParents(child, config, { now: 1, sample: all });
    expect(parents).toEqual([]);
    expect(decision.outcome).toBe("no_parent");
    expect(decision.rejected).toEqual([{ peerId: "p", hostId: "hp", reason: "blocked" }]);
  });

  it.each(["Pending", "Succeeded", "BackToSource", "Failed"] as const)(
    "does not schedule a child in state %s",
    (state) => {
      const s = createSwarm();
      const child = s.peer("c", "hc", state, []);
      s.peer("p", "hp", "Succeeded");
      const { decision, parents } = findCandidateParents(child, config, { now: 1, sample: all });
      expect(parents).toEqual([]);
      expect(decision.description).toMatch(/cannot be scheduled/);
    },
  );
});

describe("DecisionLog", () => {
  const d = (taskId: string, peerId: string, at: number): Decision => ({
    taskId,
    peerId,
    hostId: "h",
    at,
    attempt: 0,
    outcome: "no_parent",
    description: "",
    chosen: [],
    rejected: [],
  });

  it("keeps the newest decisions per task, newest first, by task and by peer", () => {
    const log = new DecisionLog({ perTask: 3 });
    for (let i = 1; i <= 5; i++) log.record(d("t", i % 2 === 0 ? "even" : "odd", i));
    expect(log.list("t").map((x) => x.at)).toEqual([5, 4, 3]);
    expect(log.list("t", { peerId: "odd" }).map((x) => x.at)).toEqual([5, 3]);
    expect(log.list("t", { limit: 1 }).map((x) => x.at)).toEqual([5]);
    expect(log.list("unknown")).toEqual([]);
  });

  it("evicts the least recently active task beyond maxTasks", () => {
    const log = new DecisionLog({ maxTasks: 2 });
    log.record(d("t1", "p", 1));
    log.record(d("t2", "p", 2));
    log.record(d("t1", "p", 3));
    log.record(d("t3", "p", 4));
    expect(log.taskCount).toBe(2);
    expect(log.list("t2")).toEqual([]);
    expect(log.list("t1")).toHaveLength(2);
    log.delete("t1");
    expect(log.list("t1")).toEqual([]);
  });
});
