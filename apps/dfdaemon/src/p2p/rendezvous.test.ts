import { describe, expect, it } from "vitest";

import { rendezvousOrder } from "./rendezvous";

const addrs = ["10.0.0.1:8002", "10.0.0.2:8002", "10.0.0.3:8002", "10.0.0.4:8002"];

describe("rendezvousOrder", () => {
  it("gives every caller the same order for a key, whatever the input order", () => {
    expect(rendezvousOrder("task-a", addrs)).toEqual(
      rendezvousOrder("task-a", [...addrs].reverse()),
    );
  });

  it("moves only the keys of a removed scheduler, each to its next choice", () => {
    const keys = Array.from({ length: 200 }, (_, i) => `task-${i}`);
    const gone = addrs[0] ?? "";
    const rest = addrs.slice(1);
    for (const k of keys) {
      const before = rendezvousOrder(k, addrs);
      const after = rendezvousOrder(k, rest);
      if (before[0] !== gone) expect(after[0]).toBe(before[0]);
      else expect(after[0]).toBe(before[1]);
    }
  });

  it("spreads keys over schedulers", () => {
    const firsts = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const first = rendezvousOrder(`t${i}`, addrs)[0] ?? "";
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    for (const a of addrs) expect(firsts.get(a) ?? 0).toBeGreaterThan(50);
  });
});
