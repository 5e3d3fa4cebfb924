import { describe, expect, it } from "vitest";

import { PeerEvent } from "./lifecycle";
import { Peer } from "./peer";
import { ResourceMap } from "./resource-map";
import { createSwarm } from "./testing";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("ResourceMap", () => {
  it("loadOrStore keeps the first value and range stops on false", () => {
    const m = new ResourceMap<{ id: string; n: number }>();
    expect(m.loadOrStore({ id: "a", n: 1 })).toEqual({ value: { id: "a", n: 1 }, loaded: false });
    expect(m.loadOrStore({ id: "a", n: 2 })).toEqual({ value: { id: "a", n: 1 }, loaded: true });
    m.store({ id: "b", n: 3 });
    const seen: string[] = [];
    m.range((x) => {
      seen.push(x.id);
      return false;
    });
    expect(seen).toEqual(["a"]);
    expect(m.delete("a")).toBe(true);
    expect(m.delete("a")).toBe(false);
    expect(m.size).toBe(1);
  });
});

describe("PeerManager", () => {
  it("links a stored peer to its task DAG and host, and unlinks it on delete", () => {
    const s = createSwarm();
    const p = s.peer("p", "h1");
    expect(s.task.peers.get("p")).toBe(p);
    expect(s.task.dag.has("p")).toBe(true);
    expect(p.host.peers.has("p")).toBe(true);
    s.peers.delete("p");
    expect(s.task.peers.size).toBe(0);
    expect(p.host.peers.size).toBe(0);
  });

  it("loadOrStore returns the registered peer instead of a second copy", () => {
    const s = createSwarm();
    const p = s.peer("p", "h1");
    const dup = new Peer({ id: "p", host: s.host("h1"), task: s.task });
    expect(s.peers.loadOrStore(dup)).toEqual({ value: p, loaded: true });
  });
});

describe("runGC", () => {
  it("removes a peer silent past the peer TTL and keeps a fresh one", () => {
    const s = createSwarm();
    s.peer("old", "h1");
    s.clock.t += DAY;
    const fresh = s.peer("fresh", "h1");
    const h = s.host("h1");
    h.lastAnnouncedAt = s.clock.t;
    expect(s.runGC(s.clock.t + 1).peers).toEqual(["old"]);
    expect(s.peers.load("fresh")).toBe(fresh);
  });

  it("moves a failed peer to Leave, then removes it the next round", () => {
    const s = createSwarm();
    const p = s.peer("p", "h1", "Failed");
    expect(s.peers.runGC(s.clock.t)).toEqual([]);
    expect(p.state).toBe("Leave");
    expect(s.peers.runGC(s.clock.t)).toEqual(["p"]);
  });

  it("removes a host that stopped announcing together with its peers", () => {
    const s = createSwarm();
    const a = s.peer("a", "h1");
    s.peer("b", "h1");
    s.peer("c", "h2");
    s.host("h2").lastAnnouncedAt = s.clock.t + HOUR;
    const report = s.runGC(s.clock.t + HOUR + 1);
    expect(report.hosts).toEqual(["h1"]);
    expect(s.peers.values().map((p) => p.id)).toEqual(["c"]);
    expect(a.state).toBe("Leave");
    expect(a.host.fsm.current).toBe("Left");
  });

  it("removes a task only once it has had no peer for longer than the task TTL", () => {
    const s = createSwarm();
    const p = s.peer("p", "h1");
    expect(s.tasks.runGC(s.clock.t + 2 * DAY)).toEqual([]);
    p.fsm.fire(PeerEvent.Leave);
    s.clock.t += HOUR;
    s.peers.runGC(s.clock.t);
    expect(s.tasks.runGC(s.clock.t + DAY)).toEqual([]);
    expect(s.tasks.runGC(s.clock.t + DAY + 1)).toEqual(["task-1"]);
    expect(s.task.state).toBe("Leave");
  });
});
