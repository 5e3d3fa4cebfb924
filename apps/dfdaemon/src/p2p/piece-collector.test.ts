import { afterEach, describe, expect, it } from "vitest";

import {
  LAG_MS,
  MAX_INFLIGHT_PER_PARENT,
  PieceCollector,
  type ParentState,
} from "./piece-collector";

const NOW = 1_000_000;

/** parent builds a parent state holding `pieces`, announced `heldMs` ago, last gaining `quietMs` ago. */
function parent(
  id: string,
  pieces: number[],
  o: { heldMs?: number; quietMs?: number; gapMs?: number; inflight?: number } = {},
): ParentState {
  return {
    peerId: id,
    hostId: `h-${id}`,
    ip: "127.0.0.1",
    downloadPort: 1,
    pieces: new Map(pieces.map((n) => [n, `crc32:${n}`])),
    heldSince: new Map(pieces.map((n) => [n, NOW - (o.heldMs ?? 0)])),
    inflight: o.inflight ?? 0,
    early: new Set(),
    synced: true,
    failures: 0,
    usable: true,
    seed: false,
    lastGainAt: NOW - (o.quietMs ?? 0),
    gapMs: o.gapMs ?? 20,
  };
}

let collector: PieceCollector;
function withParents(...ps: ParentState[]): PieceCollector {
  collector = new PieceCollector("task", "host");
  collector.shape = { contentLength: 10 * 1024, pieceLength: 1024 };
  for (const p of ps) collector.parents.set(p.peerId, p);
  return collector;
}
afterEach(() => collector?.close());

describe("PieceCollector.bestParentFor", () => {
  it("takes a piece from the first-ranked parent holding it", () => {
    const c = withParents(parent("a", [0, 1]), parent("b", [0, 1, 2]));
    expect(c.bestParentFor(0, NOW)?.peerId).toBe("a");
  });

  it("waits for a first-ranked parent that lacks the piece but keeps gaining", () => {
    const c = withParents(parent("a", [0]), parent("b", [0, 1, 2], { heldMs: 100 }));
    expect(c.bestParentFor(2, NOW)).toBeUndefined();
  });

  it("skips a first-ranked parent that stalled", () => {
    const c = withParents(parent("a", [0], { quietMs: 2_000 }), parent("b", [0, 1, 2]));
    expect(c.bestParentFor(2, NOW)?.peerId).toBe("b");
  });

  it("takes a piece a lower-ranked parent has held for a while when the first still lacks it", () => {
    const c = withParents(parent("a", [0]), parent("b", [0, 1, 2], { heldMs: LAG_MS + 1 }));
    expect(c.bestParentFor(2, NOW)?.peerId).toBe("b");
  });

  it("waits for a parent at its in-flight limit rather than going elsewhere", () => {
    const c = withParents(
      parent("a", [0, 1], { inflight: MAX_INFLIGHT_PER_PARENT }),
      parent("b", [0, 1], { heldMs: LAG_MS + 1 }),
    );
    expect(c.bestParentFor(1, NOW)).toBeUndefined();
  });

  it("never offers a dropped parent", () => {
    const a = parent("a", [0, 1]);
    a.usable = false;
    const c = withParents(a, parent("b", [0, 1]));
    expect(c.bestParentFor(1, NOW)?.peerId).toBe("b");
  });

  it("follows a parent holding every piece even when it has gone quiet", () => {
    const all = Array.from({ length: 10 }, (_, i) => i);
    const c = withParents(parent("a", all, { quietMs: 60_000 }), parent("b", all));
    expect(c.bestParentFor(9, NOW)?.peerId).toBe("a");
  });
});

describe("PieceCollector.earlyParentFor", () => {
  it("asks the followed parent for a piece it is about to have", () => {
    const c = withParents(parent("a", [0]), parent("b", [0, 1, 2], { heldMs: 100 }));
    expect(c.earlyParentFor(1, NOW)?.peerId).toBe("a");
  });

  it("leaves a piece the followed parent holds to bestParentFor", () => {
    const c = withParents(parent("a", [0, 1]), parent("b", [0, 1, 2]));
    expect(c.earlyParentFor(1, NOW)).toBeUndefined();
  });

  it("keeps one early request waiting per parent, so the other slot serves held pieces", () => {
    const a = parent("a", [0]);
    a.early.add(1);
    a.inflight = 1;
    const c = withParents(a, parent("b", [0, 1, 2]));
    expect(c.earlyParentFor(2, NOW)).toBeUndefined();
    // Once the parent announces the piece it was asked for early, the next can be asked for.
    a.pieces.set(1, "crc32:1");
    expect(c.earlyParentFor(2, NOW)?.peerId).toBe("a");
  });

  it("does not ask a parent whose SyncPieces has not answered yet (it may lack the task)", () => {
    const a = parent("a", []);
    a.synced = false;
    const c = withParents(a, parent("b", [0, 1, 2], { heldMs: 100 }));
    expect(c.earlyParentFor(0, NOW)).toBeUndefined();
    a.synced = true;
    expect(c.earlyParentFor(0, NOW)?.peerId).toBe("a");
  });

  it("asks past a stalled parent, the next one that is gaining", () => {
    const c = withParents(parent("a", [0], { quietMs: 2_000 }), parent("b", [0, 1]));
    expect(c.earlyParentFor(2, NOW)?.peerId).toBe("b");
  });

  it("waits for a first parent with no pieces yet while a line of peers fills", () => {
    const fresh = parent("a", [], { quietMs: 1_500 });
    fresh.gapMs = 0;
    const c = withParents(fresh, parent("seed", [0, 1, 2], { heldMs: 1_500 }));
    expect(c.earlyParentFor(0, NOW)?.peerId).toBe("a");
    expect(c.bestParentFor(0, NOW)).toBeUndefined();
  });
});
