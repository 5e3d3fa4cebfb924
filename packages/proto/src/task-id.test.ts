import { describe, expect, it } from "vitest";

import { taskId } from "./task-id";

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
});
