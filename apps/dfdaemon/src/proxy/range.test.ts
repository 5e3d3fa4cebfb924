import { describe, expect, it } from "vitest";

import { contentRange, parseRange, resolveRange } from "./range";

describe("parseRange and resolveRange", () => {
  const cases = [
    { name: "a bounded range", header: "bytes=0-99", total: 1000, want: { start: 0, length: 100 } },
    { name: "an open range", header: "bytes=900-", total: 1000, want: { start: 900, length: 100 } },
    { name: "a suffix range", header: "bytes=-10", total: 1000, want: { start: 990, length: 10 } },
    {
      name: "a suffix longer than the content",
      header: "bytes=-5000",
      total: 1000,
      want: { start: 0, length: 1000 },
    },
    {
      name: "an end past the content, clipped",
      header: "bytes=10-99999",
      total: 1000,
      want: { start: 10, length: 990 },
    },
    { name: "a start past the end", header: "bytes=1000-", total: 1000, want: "unsatisfiable" },
    { name: "an empty suffix", header: "bytes=-0", total: 1000, want: "unsatisfiable" },
    { name: "any range of empty content", header: "bytes=0-", total: 0, want: "unsatisfiable" },
  ] as const;
  it.each(cases)("resolves $name", ({ header, total, want }) => {
    const spec = parseRange(header);
    expect(spec).toBeDefined();
    if (spec) expect(resolveRange(spec, total)).toEqual(want);
  });

  it.each(["bytes=0-1,5-6", "items=0-1", "bytes=5-1", "bytes=-", "", "bytes=a-b"])(
    "ignores %j (served whole with 200)",
    (header) => expect(parseRange(header)).toBeUndefined(),
  );

  it("renders Content-Range", () => {
    expect(contentRange({ start: 5, length: 10 }, 100)).toBe("bytes 5-14/100");
  });
});
