import { describe, expect, it } from "vitest";

import { PACE_SLICE, throttle, TokenBucket } from "./token-bucket";

describe("TokenBucket", () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => void (t += ms) };
  };

  it("lets one second of burst through, then paces at the rate", () => {
    const c = clock();
    const b = new TokenBucket(1000, c.now);
    expect(b.delayFor(1000)).toBe(0);
    expect(b.delayFor(500)).toBe(500);
    c.advance(500);
    expect(b.delayFor(0)).toBe(0);
    expect(b.delayFor(1000)).toBe(1000);
  });

  it("never limits at rate 0 and applies a new rate at once", () => {
    const c = clock();
    const b = new TokenBucket(0, c.now);
    expect(b.delayFor(1e12)).toBe(0);
    b.setRate(100);
    expect(b.delayFor(100)).toBe(1000);
  });

  it("refills no more than its burst of tokens", () => {
    const c = clock();
    const b = new TokenBucket(1000, c.now);
    c.advance(60_000);
    expect(b.delayFor(1000)).toBe(0);
    expect(b.delayFor(100)).toBe(100);
    const strict = new TokenBucket(1000, c.now, 0.1);
    c.advance(60_000);
    expect(strict.delayFor(100)).toBe(0);
    expect(strict.delayFor(100)).toBe(100);
  });

  it("gives a reservation its turn, its bytes coming due in order", () => {
    const c = clock();
    const b = new TokenBucket(1000, c.now);
    const first = b.reserve(1500);
    // The burst covers the first 1000 bytes now; the rest come due at the rate.
    expect(first(500)).toBe(0);
    expect(first(1000)).toBe(0);
    expect(first(1500)).toBe(500);
    // A later reservation waits behind the whole of the first.
    const second = b.reserve(100);
    expect(second(100)).toBe(600);
    c.advance(300);
    expect(first(1500)).toBe(200);
    expect(second(100)).toBe(300);
    c.advance(1000);
    expect(second(100)).toBe(0);
  });

  it("passes a large chunk on in slices, the first at once, the rest at the rate", async () => {
    // 64 KiB of burst, then 640 KiB/s: a 256 KiB chunk's last slice is due about 300 ms later.
    const b = new TokenBucket(10 * PACE_SLICE, undefined, 0.1);
    const stage = throttle([b]);
    const seen: Array<{ at: number; length: number }> = [];
    stage.on("data", (s: Buffer) => seen.push({ at: performance.now(), length: s.length }));
    const ended = new Promise((r) => stage.on("end", r));
    const started = performance.now();
    stage.end(Buffer.alloc(4 * PACE_SLICE, 1));
    await ended;
    expect(seen.map((s) => s.length)).toEqual([PACE_SLICE, PACE_SLICE, PACE_SLICE, PACE_SLICE]);
    const last = seen.at(-1)?.at ?? 0;
    const first = seen[0]?.at ?? last;
    expect(last - started).toBeGreaterThanOrEqual(290);
    expect(last - first).toBeGreaterThanOrEqual(250);
  });
});
