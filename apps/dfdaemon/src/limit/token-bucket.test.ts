import { describe, expect, it } from "vitest";

import { TokenBucket } from "./token-bucket";

describe("TokenBucket", () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => void (t += ms) };
  };

  it("lets a tenth of a second of burst through, then paces at the rate", () => {
    const c = clock();
    const b = new TokenBucket(1000, c.now);
    expect(b.delayFor(100)).toBe(0);
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

  it("refills no more than a tenth of a second of tokens", () => {
    const c = clock();
    const b = new TokenBucket(1000, c.now);
    c.advance(60_000);
    expect(b.delayFor(100)).toBe(0);
    expect(b.delayFor(100)).toBe(100);
  });
});
