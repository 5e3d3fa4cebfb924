import { describe, expect, it } from "vitest";

import { candidatesOf, narrow, type TargetHost } from "./targets";

const host = (i: number, type: TargetHost["type"] = "normal"): TargetHost => ({
  id: `h${i}`,
  type,
  info: { ip: `10.0.0.${i}` },
});

const hosts = [5, 1, 3, 2, 4].map((i) => host(i, i <= 2 ? "seed" : "normal"));

describe("narrow", () => {
  it.each([
    {
      name: "keeps every host, ordered by id",
      n: { ips: [] },
      want: ["h1", "h2", "h3", "h4", "h5"],
    },
    { name: "ips win over count", n: { ips: ["10.0.0.4"], count: 2 }, want: ["h4"] },
    {
      name: "count keeps the first N",
      n: { ips: [], count: 2, percentage: 100 },
      want: ["h1", "h2"],
    },
    { name: "percentage floors", n: { ips: [], percentage: 50 }, want: ["h1", "h2"] },
    { name: "percentage keeps at least one", n: { ips: [], percentage: 1 }, want: ["h1"] },
    { name: "unknown ips keep none", n: { ips: ["10.9.9.9"] }, want: [] },
  ])("$name", ({ n, want }) => {
    expect(narrow(hosts, n).map((h) => h.id)).toEqual(want);
  });
});

describe("candidatesOf", () => {
  it("offers seeds for the seed scopes and every host for all_peers", () => {
    expect(candidatesOf("all_seed_peers", hosts, "s1")).toHaveLength(2);
    expect(candidatesOf("all_peers", hosts, "s1")).toHaveLength(5);
  });

  it("explains an empty pool", () => {
    const none = candidatesOf("single_seed_peer", [host(3)], "s1");
    expect(none).toBeInstanceOf(Error);
    expect(String(none)).toMatch(/no seed peer has announced itself to scheduler s1/);
  });
});
