import { describe, expect, it } from "vitest";

import { defaultSchedulerConfig } from "@df/cluster-config";

import type { PeerState } from "../resource/lifecycle";
import type { Swarm } from "../resource/testing";
import { createSwarm } from "../resource/testing";
import type { Sampler } from "./filter";
import { filterCandidateParents, randomSample, RejectReason } from "./filter";

const config = defaultSchedulerConfig();
const all: Sampler = (items, n) => items.slice(0, n);

/** setup makes child "c" on host "hc" and candidate "p" on host "hp" in the given state. */
function setup(state: PeerState = "Succeeded"): Swarm {
  const s = createSwarm();
  s.peer("c", "hc", "Running", []);
  s.peer("p", "hp", state);
  return s;
}

describe("filterCandidateParents", () => {
  const cases: Array<{ name: string; arrange: (s: Swarm) => void; reason?: RejectReason }> = [
    { name: "keeps a serving parent on another host", arrange: () => {} },
    ...(["Pending", "ReceivedEmpty", "Failed", "Leave"] as const).map((state) => ({
      name: `rejects a parent in state ${state}`,
      arrange: (s: Swarm) => {
        s.peers.delete("p");
        s.peer("p", "hp", state);
      },
      reason: RejectReason.NotServing,
    })),
    ...(["ReceivedNormal", "Running", "BackToSource"] as const).map((state) => ({
      name: `keeps a parent in state ${state}`,
      arrange: (s: Swarm) => {
        s.peers.delete("p");
        s.peer("p", "hp", state);
      },
    })),
    {
      name: "rejects a parent on the same host",
      arrange: (s) => {
        s.peers.delete("p");
        s.peer("p", "hc", "Succeeded");
      },
      reason: RejectReason.SameHost,
    },
    {
      name: "rejects a parent in the child's blocklist",
      arrange: (s) => s.peers.load("c")?.blockParents.add("p"),
      reason: RejectReason.Blocked,
    },
    {
      name: "rejects a parent whose host disabled sharing",
      arrange: (s) => s.host("hp").announce({ ...s.host("hp").info, disableShared: true }),
      reason: RejectReason.SharingDisabled,
    },
    {
      name: "rejects a parent marked bad for this child",
      arrange: (s) => s.peers.load("c")?.badParents.add("p"),
      reason: RejectReason.BadParent,
    },
    {
      name: "rejects a parent whose last piece was far slower than its mean",
      arrange: (s) => s.peers.load("c")?.pieceCosts.set("p", [10, 10, 10, 500]),
      reason: RejectReason.SlowParent,
    },
    {
      name: "rejects a parent that descends from the child",
      arrange: (s) => s.task.addEdge("c", "p"),
      reason: RejectReason.Descendant,
    },
    {
      name: "rejects a parent further down the child's subtree",
      arrange: (s) => {
        s.peer("x", "hx", "Running");
        s.task.addEdge("c", "x");
        s.task.addEdge("x", "p");
      },
      reason: RejectReason.Descendant,
    },
    {
      name: "rejects a parent already serving the child (edge exists)",
      arrange: (s) => s.task.addEdge("p", "c"),
      reason: RejectReason.EdgeRefused,
    },
    {
      name: "rejects a parent on an isolated host",
      arrange: (s) => {
        s.host("hp").isolation.isolatedUntil = s.clock.t + 1;
      },
      reason: RejectReason.HostIsolated,
    },
    {
      name: "keeps a parent whose host isolation has ended",
      arrange: (s) => {
        s.host("hp").isolation.isolatedUntil = s.clock.t;
      },
    },
    {
      name: "rejects a parent whose host has no free upload slot",
      arrange: (s) => {
        s.host("hp").uploadsInUse = config.peer_load_limit;
      },
      reason: RejectReason.UploadLimit,
    },
    {
      name: "uses the seed limit for a seed host",
      arrange: (s) => {
        s.host("hp").announce({ ...s.host("hp").info, type: "seed" });
        s.host("hp").uploadsInUse = config.peer_load_limit;
      },
    },
  ];

  it.each(cases)("$name", ({ arrange, reason }) => {
    const s = setup();
    arrange(s);
    const child = s.peers.load("c");
    if (!child) throw new Error("child missing");
    const out = filterCandidateParents(child, config, { now: s.clock.t, sample: all });
    const verdict = out.rejected.find((r) => r.peer.id === "p")?.reason;
    expect(verdict).toBe(reason);
    expect(out.kept.some((k) => k.id === "p")).toBe(reason === undefined);
  });

  it("never offers the child to itself and samples at most filter_parent_limit peers", () => {
    const s = createSwarm();
    const child = s.peer("c", "hc", "Running", []);
    for (let i = 0; i < 30; i++) s.peer(`p${i}`, `h${i}`, "Succeeded");
    let asked: { size: number; n: number } | undefined;
    const spy: Sampler = (items, n) => {
      asked = { size: items.length, n };
      return items.slice(0, n);
    };
    const limited = { ...config, filter_parent_limit: 10 };
    const out = filterCandidateParents(child, limited, { now: s.clock.t, sample: spy });
    expect(asked).toEqual({ size: 30, n: 10 });
    expect(out.kept).toHaveLength(10);
  });
});

describe("randomSample", () => {
  it("returns n distinct items drawn with the injected randomness", () => {
    const items = [1, 2, 3, 4, 5];
    expect(randomSample(items, 2, () => 0)).toEqual([1, 2]);
    expect(randomSample(items, 2, () => 0.999)).toEqual([5, 1]);
    expect(new Set(randomSample(items, 10)).size).toBe(5);
    expect(items).toEqual([1, 2, 3, 4, 5]);
  });
});
