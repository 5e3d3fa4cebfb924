import { describe, expect, it } from "vitest";

import { inLane, queuedFiles } from "./write-lane";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("inLane", () => {
  it("runs one write per file at a time, in order, and files side by side", async () => {
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const job = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      running--;
    };
    const other = inLane("/b", async () => {
      log.push("b");
    });
    await Promise.all([
      inLane("/a", job("1")),
      inLane("/a", job("2")),
      inLane("/a", job("3")),
      other,
    ]);
    expect(most).toBe(1);
    expect(log.filter((l) => l !== "b")).toEqual([
      "start 1",
      "end 1",
      "start 2",
      "end 2",
      "start 3",
      "end 3",
    ]);
    // The other file's write did not wait for the first file's three.
    expect(log.indexOf("b")).toBeLessThan(log.indexOf("end 1"));
    await tick();
    expect(queuedFiles()).toBe(0);
  });

  it("gives a failure to its own caller only; the writes queued after it still run", async () => {
    const failing = inLane("/c", async () => {
      await tick();
      throw new Error("disk full");
    });
    let ran = false;
    const next = inLane("/c", async () => {
      ran = true;
    });
    await expect(failing).rejects.toThrow("disk full");
    await next;
    expect(ran).toBe(true);
  });
});
