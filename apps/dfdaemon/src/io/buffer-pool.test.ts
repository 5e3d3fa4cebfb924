import { describe, expect, it } from "vitest";

import { BufferPool } from "./buffer-pool";

describe("BufferPool", () => {
  it("hands back a returned buffer, whole even when a view of it was returned", () => {
    const pool = new BufferPool(1024, 2);
    const a = pool.take();
    expect(a.length).toBe(1024);
    pool.give(a.subarray(0, 10));
    const again = pool.take();
    expect(again.buffer).toBe(a.buffer);
    expect(again.length).toBe(1024);
  });

  it("keeps at most `keep` spares and ignores buffers of another size", () => {
    const pool = new BufferPool(64, 1);
    const [a, b] = [pool.take(), pool.take()];
    pool.give(a);
    pool.give(b);
    pool.give(Buffer.allocUnsafeSlow(128));
    expect(pool.take().buffer).toBe(a.buffer);
    const fresh = pool.take();
    expect(fresh.buffer).not.toBe(b.buffer);
    expect(fresh.length).toBe(64);
  });
});
