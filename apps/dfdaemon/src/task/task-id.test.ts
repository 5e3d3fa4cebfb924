import { describe, expect, it } from "vitest";

import { normalizeUrl, taskId } from "./task-id";

describe("taskId", () => {
  // Vectors published for Dragonfly's client, so hosts of both implementations agree.
  it.each([
    {
      name: "url, tag and application",
      input: { url: "https://example.com", tag: "foo", application: "bar" },
      id: "06408fbf247ddaca478f8cb9565fe5591c28efd0994b8fea80a6a87d3203c5ca",
    },
    {
      name: "filtered query parameters are removed",
      input: { url: "https://example.com?foo=foo&bar=bar", filteredQueryParams: ["foo", "bar"] },
      id: "457b4328cde278e422c9e243f7bfd1e97f511fec43a80f535cf6b0ef6b086776",
    },
  ])("matches Dragonfly for $name", ({ input, id }) => {
    expect(taskId(input)).toBe(id);
  });

  it("ignores signing parameters by default but keeps other query parameters", () => {
    const a = taskId({ url: "https://s3.example.com/b/k?X-Amz-Signature=aaa&X-Amz-Date=1&v=2" });
    const b = taskId({ url: "https://s3.example.com/b/k?X-Amz-Signature=bbb&X-Amz-Date=2&v=2" });
    const c = taskId({ url: "https://s3.example.com/b/k?X-Amz-Signature=bbb&v=3" });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it("separates tasks by tag, application and an explicit piece length", () => {
    const base = taskId({ url: "http://o/f" });
    expect(taskId({ url: "http://o/f", tag: "t" })).not.toBe(base);
    expect(taskId({ url: "http://o/f", application: "a" })).not.toBe(base);
    expect(taskId({ url: "http://o/f", pieceLength: 4 << 20 })).not.toBe(base);
    expect(taskId({ url: "http://o/f", tag: "" })).toBe(base);
  });

  it("treats a bare trailing slash as no path", () => {
    expect(normalizeUrl("https://a.com/", [])).toBe("https://a.com");
    expect(normalizeUrl("https://a.com/x/", [])).toBe("https://a.com/x/");
  });
});
