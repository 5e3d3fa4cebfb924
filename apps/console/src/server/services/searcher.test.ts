import { describe, expect, it } from "vitest";

import {
  bestCluster,
  cidrScore,
  hostnameScore,
  idcScore,
  locationScore,
  rankClusters,
  scoreCluster,
  WEIGHTS,
  type CandidateCluster,
  type SearchHost,
} from "./searcher";

const host = (over: Partial<SearchHost> = {}): SearchHost => ({
  ip: "10.1.2.3",
  hostname: "node-a.prod.example.com",
  idc: "",
  location: "",
  ...over,
});

const cluster = (id: number, scopes: CandidateCluster["scopes"], isDefault = false) => ({
  id,
  isDefault,
  scopes,
});

describe("cidrScore", () => {
  it.each([
    ["an IPv4 inside a /8", "10.1.2.3", ["10.0.0.0/8"], 1],
    ["an IPv4 outside every prefix", "192.168.1.1", ["10.0.0.0/8", "172.16.0.0/12"], 0],
    ["an IPv4-mapped IPv6 address, unmapped first", "::ffff:10.1.2.3", ["10.0.0.0/8"], 1],
    ["an IPv6 inside its prefix", "2001:db8::1", ["2001:db8::/32"], 1],
    ["an IPv6 against IPv4 prefixes", "2001:db8::1", ["10.0.0.0/8"], 0],
    ["a malformed prefix, skipped", "10.1.2.3", ["nonsense", "10.1.0.0/16"], 1],
    ["a prefix length out of range, skipped", "10.1.2.3", ["10.0.0.0/40"], 0],
    ["a malformed caller address", "not-an-ip", ["10.0.0.0/8"], 0],
    ["no prefixes", "10.1.2.3", [], 0],
  ])("scores %s", (_name, ip, cidrs, want) => {
    expect(cidrScore(ip, cidrs)).toBe(want);
  });
});

describe("hostnameScore", () => {
  it.each([
    ["an unanchored regex match", "node-a.prod.example.com", ["prod"], 1],
    ["an anchored regex that fails", "node-a.prod.example.com", ["^prod"], 0],
    ["any of several patterns", "edge-7", ["^core-", "^edge-\\d+$"], 1],
    ["an invalid regex, skipped", "edge-7", ["(", "edge"], 1],
    ["an empty host name", "", [".*"], 0],
  ])("scores %s", (_name, hostname, patterns, want) => {
    expect(hostnameScore(hostname, patterns)).toBe(want);
  });
});

describe("idcScore", () => {
  it.each([
    ["equal IDCs, case-insensitively", "IDC-1", "idc-1", 1],
    ["one of several `|`-separated IDCs", "idc-2", "idc-1|IDC-2|idc-3", 1],
    ["a different IDC", "idc-9", "idc-1|idc-2", 0],
    ["an unknown caller IDC", "", "idc-1", 0],
    ["a cluster without IDC", "idc-1", "", 0],
  ])("scores %s", (_name, hostIdc, scopeIdc, want) => {
    expect(idcScore(hostIdc, scopeIdc)).toBe(want);
  });
});

describe("locationScore", () => {
  it.each([
    ["an equal location", "cn|zj|hz", "CN|ZJ|HZ", 1],
    ["a two-level shared prefix", "cn|zj|hz", "cn|zj|nb", 2 / 5],
    ["a first-level mismatch", "us|ca", "cn|ca", 0],
    ["at most five levels", "a|b|c|d|e|f|x", "a|b|c|d|e|f|y", 1],
    ["an unknown caller location", "", "cn", 0],
  ])("scores %s", (_name, hostLoc, scopeLoc, want) => {
    expect(locationScore(hostLoc, scopeLoc)).toBeCloseTo(want);
  });
});

describe("scoreCluster", () => {
  it("weights CIDR 0.30, hostname 0.30, IDC 0.25, location 0.14 and default 0.01, summing to 1", () => {
    const all = cluster(
      1,
      { cidrs: ["10.0.0.0/8"], hostnames: ["prod"], idc: "idc-1", location: "cn|zj" },
      true,
    );
    const h = host({ idc: "idc-1", location: "cn|zj" });
    expect(scoreCluster(h, all)).toBeCloseTo(1);
    expect(scoreCluster(h, cluster(2, { cidrs: ["10.0.0.0/8"] }))).toBeCloseTo(WEIGHTS.cidr);
    expect(scoreCluster(h, cluster(3, { idc: "idc-1" }))).toBeCloseTo(WEIGHTS.idc);
    expect(scoreCluster(h, cluster(4, { location: "cn" }))).toBeCloseTo(WEIGHTS.location / 5);
    expect(scoreCluster(h, cluster(5, {}, true))).toBeCloseTo(WEIGHTS.isDefault);
  });
});

describe("rankClusters", () => {
  const clusters = [
    cluster(1, {}, true),
    cluster(2, { cidrs: ["10.0.0.0/8"] }),
    cluster(3, { hostnames: ["^node-"] }),
    cluster(4, { idc: "idc-1" }),
    cluster(5, { location: "cn|zj|hz" }),
  ];
  it.each([
    ["a CIDR match beats IDC, location and default", host({ idc: "idc-1", hostname: "x" }), 2],
    ["a hostname match ties CIDR; the lower id wins", host(), 2],
    ["a hostname match wins when the CIDR misses", host({ ip: "192.168.0.1" }), 3],
    ["IDC beats location and default", host({ ip: "192.168.0.1", hostname: "x", idc: "idc-1" }), 4],
    ["location beats default", host({ ip: "192.168.0.1", hostname: "x", location: "cn|zj|hz" }), 5],
    ["nothing matches: the default cluster", host({ ip: "192.168.0.1", hostname: "x" }), 1],
  ])("picks %s", (_name, h, want) => {
    expect(bestCluster(h, clusters)?.id).toBe(want);
  });

  it("returns every cluster, best first", () => {
    const ranked = rankClusters(host({ ip: "192.168.0.1", hostname: "x", idc: "idc-1" }), clusters);
    expect(ranked.map((r) => r.cluster.id)).toEqual([4, 1, 2, 3, 5]);
  });

  it("has no best cluster when there are none", () => {
    expect(bestCluster(host(), [])).toBeUndefined();
  });
});
