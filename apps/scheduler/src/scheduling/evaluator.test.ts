import { describe, expect, it } from "vitest";

import { defaultSchedulerConfig } from "@df/cluster-config";

import type { HostInfo } from "../resource/host";
import type { Swarm } from "../resource/testing";
import { createSwarm } from "../resource/testing";
import {
  activeChildren,
  evaluateParents,
  HOST_TYPE_WEIGHT,
  IDC_WEIGHT,
  LOAD_WEIGHT,
  LOCATION_WEIGHT,
  locationScore,
  PIECES_WEIGHT,
  piecesScore,
  scoreParent,
} from "./evaluator";

const config = { ...defaultSchedulerConfig(), peer_load_limit: 10 };

/** rank builds child "c" and parents "a" and "b" that differ only as arranged; returns the order. */
function rank(arrange: (s: Swarm) => void, child: Partial<HostInfo> = {}): string[] {
  const s = createSwarm();
  s.host("hc", child);
  const c = s.peer("c", "hc", "Running", []);
  const a = s.peer("a", "ha", "Running", [0, 1]);
  const b = s.peer("b", "hb", "Running", [0, 1]);
  arrange(s);
  return evaluateParents(c, [a, b], config).map((x) => x.peer.id);
}

const set = (s: Swarm, host: string, info: Partial<HostInfo>) =>
  s.host(host).announce({ ...s.host(host).info, ...info });

describe("evaluateParents", () => {
  it.each([
    {
      name: "prefers a parent in the same IDC",
      child: { idc: "DC1" },
      arrange: (s: Swarm) => set(s, "hb", { idc: "dc1" }),
    },
    {
      name: "prefers a parent with a longer common location prefix",
      child: { location: "cn|hz|a" },
      arrange: (s: Swarm) => {
        set(s, "ha", { location: "cn|sh|a" });
        set(s, "hb", { location: "cn|hz|b" });
      },
    },
    {
      name: "prefers a parent with more spare upload capacity",
      arrange: (s: Swarm) => {
        s.host("ha").uploadsInUse = 5;
      },
    },
    {
      name: "prefers a parent holding more pieces the child lacks",
      arrange: (s: Swarm) => [2, 3, 4].forEach((n) => s.peers.load("b")?.finishedPieces.add(n)),
    },
    {
      name: "prefers a seed host when all else is equal",
      arrange: (s: Swarm) => set(s, "hb", { type: "seed" }),
    },
  ])("$name", ({ arrange, child }) => {
    expect(rank(arrange, child)).toEqual(["b", "a"]);
  });

  it("puts a parent feeding fewer unfinished children of the task first, whatever its score", () => {
    const order = rank((s) => {
      set(s, "ha", { type: "seed", idc: "x" });
      s.peer("x", "hx", "Running", []);
      s.peers.load("a")?.task.addEdge("a", "x");
    });
    expect(order).toEqual(["b", "a"]);
  });

  it("counts only children that have not finished", () => {
    const s = createSwarm();
    const a = s.peer("a", "ha", "Running", [0, 1]);
    s.peer("x", "hx", "Succeeded", [0, 1]);
    s.peer("y", "hy", "Running", []);
    a.task.addEdge("a", "x");
    expect(activeChildren(a)).toBe(0);
    a.task.addEdge("a", "y");
    expect(activeChildren(a)).toBe(1);
  });

  it("breaks ties by peer id so the order is stable", () => {
    expect(rank(() => {})).toEqual(["a", "b"]);
  });
});

describe("scores", () => {
  it("weights sum to one and a perfect parent scores one", () => {
    expect(
      LOAD_WEIGHT + PIECES_WEIGHT + IDC_WEIGHT + LOCATION_WEIGHT + HOST_TYPE_WEIGHT,
    ).toBeCloseTo(1);
    const s = createSwarm({ totalPieceCount: 2 });
    const c = s.peer("c", "hc", "Running", []);
    set(s, "hc", { idc: "x", location: "a|b" });
    const p = s.peer("p", "hp", "Succeeded", [0, 1]);
    set(s, "hp", { idc: "x", location: "a|b", type: "seed" });
    const scored = scoreParent(c, p, config);
    expect(scored.breakdown).toEqual({ load: 1, pieces: 1, idc: 1, location: 1, hostType: 1 });
    expect(scored.score).toBeCloseTo(1);
  });

  it.each([
    { child: "cn|hz|a", parent: "cn|hz|a", score: 1 },
    { child: "cn|hz|a", parent: "cn|hz|b", score: 2 / 5 },
    { child: "cn|hz", parent: "us|hz", score: 0 },
    { child: "", parent: "", score: 0 },
    { child: "a|b|c|d|e|f", parent: "a|b|c|d|e|g", score: 1 },
  ])("location $child vs $parent scores $score", ({ child, parent, score }) => {
    const s = createSwarm();
    const c = s.peer("c", "hc");
    const p = s.peer("p", "hp");
    set(s, "hc", { location: child });
    set(s, "hp", { location: parent });
    expect(locationScore(c, p)).toBeCloseTo(score);
  });

  it.each([
    { name: "known total", total: 10, child: [0, 1], parent: [0, 1, 2, 3], score: 2 / 8 },
    { name: "unknown total", total: 0, child: [0], parent: [0, 1, 2], score: 1 },
    { name: "nothing new", total: 10, child: [0, 1], parent: [1], score: 0 },
  ])("pieces with $name", ({ total, child, parent, score }) => {
    const s = createSwarm({ totalPieceCount: total });
    const c = s.peer("c", "hc", "Running", child);
    const p = s.peer("p", "hp", "Running", parent);
    expect(piecesScore(c, p)).toBeCloseTo(score);
  });
});
