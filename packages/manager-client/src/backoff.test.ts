import { describe, expect, it } from "vitest";

import { Backoff, BACKOFF_MAX_MS } from "./backoff";

describe("Backoff", () => {
  it("doubles from 200 ms to a 5 s cap with jitter in [d/2, d], and starts over on reset", () => {
    const b = new Backoff();
    const low = Array.from({ length: 7 }, () => b.next(() => 0));
    expect(low).toEqual([100, 200, 400, 800, 1600, 2500, 2500]);
    b.reset();
    const high = Array.from({ length: 7 }, () => b.next(() => 1));
    expect(high).toEqual([200, 400, 800, 1600, 3200, BACKOFF_MAX_MS, BACKOFF_MAX_MS]);
  });
});
