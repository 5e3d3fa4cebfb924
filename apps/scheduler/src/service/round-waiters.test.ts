import { describe, expect, it } from "vitest";

import { RoundWaiters } from "./round-waiters";

describe("RoundWaiters", () => {
  it("wakes every waiter of the task once, and only that task's", () => {
    const w = new RoundWaiters();
    const woke: string[] = [];
    w.wait("t1", () => woke.push("a"));
    w.wait("t1", () => woke.push("b"));
    w.wait("t2", () => woke.push("c"));
    w.wakeAll("t1");
    w.wakeAll("t1");
    expect(woke).toEqual(["a", "b"]);
    w.wakeAll("t2");
    expect(woke).toEqual(["a", "b", "c"]);
  });

  it("forgets a cancelled waiter", () => {
    const w = new RoundWaiters();
    const woke: string[] = [];
    const cancel = w.wait("t", () => woke.push("a"));
    cancel();
    w.wakeAll("t");
    expect(woke).toEqual([]);
  });

  it("lets a woken waiter wait again for the next join", () => {
    const w = new RoundWaiters();
    let wakes = 0;
    const again = () => {
      wakes += 1;
      w.wait("t", again);
    };
    w.wait("t", again);
    w.wakeAll("t");
    w.wakeAll("t");
    expect(wakes).toBe(2);
  });
});
