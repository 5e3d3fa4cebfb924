import { describe, expect, it } from "vitest";

import { PeerEvent } from "./lifecycle";
import { PIECE_COST_WINDOW } from "./peer";
import { createSwarm } from "./testing";

describe("Peer transitions", () => {
  it("joins the task's back-to-source set while fetching from the origin", () => {
    const s = createSwarm();
    const p = s.peer("p", "h1", "BackToSource");
    expect(s.task.backToSourcePeers.has("p")).toBe(true);
    p.fsm.fire(PeerEvent.DownloadSucceeded);
    expect(s.task.backToSourcePeers.has("p")).toBe(false);
  });

  it("counts a failed origin download on the task and clears it on a success", () => {
    const s = createSwarm();
    s.peer("a", "h1", "BackToSource").fsm.fire(PeerEvent.DownloadFailed);
    expect(s.task.peerFailedCount).toBe(1);
    expect(s.task.backToSourcePeers.size).toBe(0);
    s.peer("b", "h2", "Running").fsm.fire(PeerEvent.DownloadSucceeded);
    expect(s.task.peerFailedCount).toBe(0);
  });

  it.each([
    { event: PeerEvent.DownloadBackToSource },
    { event: PeerEvent.DownloadSucceeded },
    { event: PeerEvent.DownloadFailed },
    { event: PeerEvent.Leave },
  ])("drops its parents and frees their upload slots on $event", ({ event }) => {
    const s = createSwarm();
    const parent = s.peer("parent", "h1", "Succeeded");
    const child = s.peer("child", "h2", "Running");
    s.task.addEdge("parent", "child");
    expect(parent.host.uploadsInUse).toBe(1);
    child.fsm.fire(event);
    expect(child.parents()).toEqual([]);
    expect(parent.host.uploadsInUse).toBe(0);
  });

  it("stamps updatedAt from the clock on every move", () => {
    const s = createSwarm();
    const p = s.peer("p", "h1", "Pending");
    s.clock.t += 5000;
    p.fsm.fire(PeerEvent.RegisterNormal);
    expect(p.updatedAt).toBe(s.clock.t);
  });
});

describe("Peer.finishPiece", () => {
  it("records the piece and its cost per parent, keeping a bounded window", () => {
    const s = createSwarm();
    const p = s.peer("p", "h1", "Running", []);
    for (let i = 0; i < PIECE_COST_WINDOW + 5; i++) p.finishPiece(i, "parent", i);
    p.finishPiece(9999, undefined, 1);
    const costs = p.pieceCosts.get("parent") ?? [];
    expect(costs).toHaveLength(PIECE_COST_WINDOW);
    expect(costs[0]).toBe(5);
    expect(p.finishedPieces.size).toBe(PIECE_COST_WINDOW + 6);
    expect(p.pieceCosts.size).toBe(1);
    expect(p.pieceUpdatedAt).toBe(s.clock.t);
  });
});

describe("Task edges", () => {
  it("replaceParents swaps parents and keeps upload slots balanced", () => {
    const s = createSwarm();
    const a = s.peer("a", "h1", "Succeeded");
    const b = s.peer("b", "h2", "Succeeded");
    s.peer("c", "h3", "Running");
    expect(s.task.replaceParents("c", ["a"])).toEqual(["a"]);
    expect(s.task.replaceParents("c", ["b", "c"])).toEqual(["b"]);
    expect([a.host.uploadsInUse, b.host.uploadsInUse]).toEqual([0, 1]);
  });

  it("deleting a parent peer frees the slots its children held", () => {
    const s = createSwarm();
    const a = s.peer("a", "h1", "Succeeded");
    s.peer("b", "h2", "Running");
    s.peer("c", "h3", "Running");
    s.task.addEdge("a", "b");
    s.task.addEdge("a", "c");
    expect(a.host.uploadsInUse).toBe(2);
    s.peers.delete("a");
    expect(a.host.uploadsInUse).toBe(0);
    expect(s.task.dag.has("a")).toBe(false);
    expect(a.host.peers.has("a")).toBe(false);
  });
});
