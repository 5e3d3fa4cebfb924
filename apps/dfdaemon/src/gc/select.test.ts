import { describe, expect, it } from "vitest";

import { selectEvictions, type GcPolicy, type GcTask } from "./select";

const HOUR = 3_600_000;
const policy = (over: Partial<GcPolicy> = {}): GcPolicy => ({
  now: 100 * HOUR,
  ttlMs: 6 * HOUR,
  capacityBytes: 1000,
  usedBytes: 0,
  highWatermarkPercent: 90,
  lowWatermarkPercent: 70,
  ...over,
});
const task = (id: string, bytes: number, hoursAgo: number, active = false): GcTask => ({
  id,
  bytes,
  accessedAt: 100 * HOUR - hoursAgo * HOUR,
  active,
});

describe("selectEvictions", () => {
  it.each([
    {
      name: "evicts idle tasks past the TTL and keeps recent ones",
      tasks: [task("old", 10, 7), task("new", 10, 1)],
      policy: policy({ usedBytes: 20 }),
      expected: [{ id: "old", reason: "ttl" }],
    },
    {
      name: "never evicts an active task, even past the TTL or over the watermark",
      tasks: [task("busy", 950, 50, true)],
      policy: policy({ usedBytes: 950 }),
      expected: [],
    },
    {
      name: "over the high watermark, evicts least recently used until below the low watermark",
      tasks: [task("a", 200, 3), task("b", 200, 1), task("c", 200, 2)],
      policy: policy({ usedBytes: 1000 }),
      expected: [
        { id: "a", reason: "disk" },
        { id: "c", reason: "disk" },
      ],
    },
    {
      name: "below the high watermark, evicts nothing for disk",
      tasks: [task("a", 300, 3), task("b", 300, 1)],
      policy: policy({ usedBytes: 600 }),
      expected: [],
    },
    {
      name: "TTL evictions count toward getting below the watermark",
      tasks: [task("expired", 500, 10), task("b", 300, 1), task("c", 150, 2)],
      policy: policy({ usedBytes: 950 }),
      expected: [{ id: "expired", reason: "ttl" }],
    },
  ])("$name", ({ tasks, policy: p, expected }) => {
    expect(selectEvictions(tasks, p)).toEqual(expected);
  });
});
