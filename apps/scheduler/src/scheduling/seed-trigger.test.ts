import { describe, expect, it } from "vitest";

import { defaultSchedulerConfig } from "@df/cluster-config";

import type { PeerState } from "../resource/lifecycle";
import type { Swarm } from "../resource/testing";
import { createSwarm } from "../resource/testing";
import { decideSeedTrigger } from "./seed-trigger";

const config = { ...defaultSchedulerConfig(), back_to_source_limit: 1 };
const seed = (s: Swarm, id: string, state: PeerState) => {
  s.host("hs", { type: "seed" });
  s.peer(id, "hs", state);
};

describe("decideSeedTrigger", () => {
  it.each([
    {
      name: "triggers a seed peer for the first peer of a task",
      arrange: () => {},
      want: "trigger_seed_peer",
    },
    {
      name: "goes back to source when no seed peer is available",
      seedless: true,
      arrange: () => {},
      want: "back_to_source",
    },
    {
      name: "schedules when another host already holds the content",
      arrange: (s: Swarm) => s.peer("other", "h2", "Succeeded"),
      want: "schedule",
    },
    {
      name: "schedules when a seed peer is starting on the task",
      arrange: (s: Swarm) => seed(s, "seed", "Pending"),
      want: "schedule",
    },
    {
      name: "triggers again when the task's seed peer failed",
      arrange: (s: Swarm) => seed(s, "seed", "Failed"),
      want: "trigger_seed_peer",
    },
    {
      name: "ignores a holder on the same host",
      arrange: (s: Swarm) => s.peer("twin", "hc", "Succeeded"),
      want: "trigger_seed_peer",
    },
    {
      name: "sends a peer that asked for the origin back to source",
      arrange: (s: Swarm) => {
        const c = s.peers.load("c");
        if (c) c.needBackToSource = true;
      },
      want: "back_to_source",
    },
    {
      name: "schedules when no seed is available and origin slots are full",
      seedless: true,
      arrange: (s: Swarm) => s.task.backToSourcePeers.add("x"),
      want: "schedule",
    },
  ])("$name", ({ arrange, seedless, want }) => {
    const s = createSwarm();
    const c = s.peer("c", "hc", "ReceivedNormal", []);
    arrange(s);
    const out = decideSeedTrigger(c, config, { seedPeerAvailable: seedless !== true });
    expect(out.kind).toBe(want);
  });

  it("never has a seed peer trigger another seed peer", () => {
    const s = createSwarm();
    s.host("hs", { type: "seed" });
    const c = s.peer("seed", "hs", "ReceivedNormal", []);
    expect(decideSeedTrigger(c, config, { seedPeerAvailable: true }).kind).toBe("schedule");
  });
});
