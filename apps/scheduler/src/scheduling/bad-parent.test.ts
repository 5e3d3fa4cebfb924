import { describe, expect, it } from "vitest";

import { defaultSchedulerConfig } from "@df/cluster-config";

import { createSwarm } from "../resource/testing";
import {
  DIGEST_MISMATCH_FAILURE_WEIGHT,
  isCostAnomalous,
  judgeParent,
  PIECE_FAILURES_BEFORE_BAD,
  recordPieceFailure,
} from "./bad-parent";

const config = {
  ...defaultSchedulerConfig(),
  bad_parent_cost_multiple: 20,
  bad_parent_min_samples: 30,
  host_isolation_failures: 10,
  host_isolation_seconds: 300,
};
const steady = (n: number, around = 100) =>
  Array.from({ length: n }, (_, i) => around + (i % 2 === 0 ? -10 : 10));

describe("isCostAnomalous", () => {
  it.each([
    { name: "judges nothing with no cost", costs: [], bad: false },
    { name: "judges nothing with a single cost", costs: [10_000], bad: false },
    {
      name: "marks a parent bad after a piece slower than 20x its mean",
      costs: [10, 10, 201],
      bad: true,
    },
    {
      name: "keeps a parent whose piece is exactly 20x its mean",
      costs: [10, 10, 200],
      bad: false,
    },
    {
      name: "applies the 3-sigma rule once min samples exist (slow piece)",
      costs: [...steady(29), 131],
      bad: true,
    },
    {
      name: "applies the 3-sigma rule once min samples exist (normal piece)",
      costs: [...steady(29), 129],
      bad: false,
    },
    {
      name: "uses the multiple, not sigma, while samples are fewer than the minimum",
      costs: [...steady(28), 131],
      bad: false,
    },
  ])("$name", ({ costs, bad }) => {
    expect(isCostAnomalous(costs, config)).toBe(bad);
  });

  it("honours a configured multiple", () => {
    expect(isCostAnomalous([10, 10, 31], { ...config, bad_parent_cost_multiple: 3 })).toBe(true);
  });
});

describe("recordPieceFailure", () => {
  const pair = () => {
    const s = createSwarm();
    const child = s.peer("c", "hc", "Running");
    const parent = s.peer("p", "hp", "Succeeded");
    return { s, child, parent };
  };

  it(`marks a parent bad for the child after ${PIECE_FAILURES_BEFORE_BAD} failed pieces`, () => {
    const { s, child, parent } = pair();
    const outcomes = Array.from({ length: PIECE_FAILURES_BEFORE_BAD }, () =>
      recordPieceFailure({ child, parent, now: s.clock.t }, config),
    );
    expect(outcomes.map((o) => o.markedBad)).toEqual([false, false, true]);
    expect(judgeParent(child, "p", config)).toBe("marked");
    expect(judgeParent(s.peer("other", "ho"), "p", config)).toBe("ok");
  });

  it("marks the sender bad at once and weighs a digest mismatch heavily", () => {
    const { s, child, parent } = pair();
    const out = recordPieceFailure({ child, parent, now: s.clock.t, digestMismatch: true }, config);
    expect(out.markedBad).toBe(true);
    expect(parent.host.isolation.failures).toBe(DIGEST_MISMATCH_FAILURE_WEIGHT);
    recordPieceFailure({ child, parent, now: s.clock.t, digestMismatch: true }, config);
    expect(parent.host.isIsolated(s.clock.t + 1)).toBe(true);
  });

  it("isolates a host after host_isolation_failures failures for host_isolation_seconds", () => {
    const { s, parent } = pair();
    const now = s.clock.t;
    const children = Array.from({ length: 10 }, (_, i) => s.peer(`c${i}`, `h${i}`));
    const outcomes = children.map((child) => recordPieceFailure({ child, parent, now }, config));
    expect(outcomes.map((o) => o.hostIsolated).lastIndexOf(false)).toBe(8);
    expect(outcomes.at(-1)?.hostIsolated).toBe(true);
    expect(parent.host.isIsolated(now + 299_999)).toBe(true);
    expect(parent.host.isIsolated(now + 300_000)).toBe(false);
    expect(parent.host.isolation.totalFailures).toBe(10);
  });

  it("forgets host failures older than the isolation window", () => {
    const { s, child, parent } = pair();
    for (let i = 0; i < 9; i++) recordPieceFailure({ child, parent, now: s.clock.t }, config);
    const later = s.clock.t + 300_001;
    expect(recordPieceFailure({ child, parent, now: later }, config).hostIsolated).toBe(false);
    expect(parent.host.isolation.failures).toBe(1);
  });
});
