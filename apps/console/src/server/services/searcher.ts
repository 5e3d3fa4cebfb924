/**
 * Which scheduler cluster fits a host best, after Dragonfly's manager searcher. Pure: no I/O,
 * no clock. Every score is 0..1; a cluster's score is the weighted sum
 *
 *   0.30·cidr + 0.30·hostname + 0.25·idc + 0.14·location + 0.01·isDefault
 */
import { BlockList, isIP } from "node:net";

import type { Scopes } from "@df/db";

/** WEIGHTS are the searcher's weights; they sum to 1. */
export const WEIGHTS = { cidr: 0.3, hostname: 0.3, idc: 0.25, location: 0.14, isDefault: 0.01 };

/** MAX_LOCATION_ELEMENTS is how many `|`-separated location levels count. */
export const MAX_LOCATION_ELEMENTS = 5;

/** AFFINITY_SEPARATOR splits multi-valued IDC and location strings. */
const AFFINITY_SEPARATOR = "|";

/** SearchHost describes the caller: its address, name, data center and location. */
export interface SearchHost {
  ip: string;
  hostname: string;
  idc: string;
  location: string;
}

/** CandidateCluster is what the searcher needs of a cluster. */
export interface CandidateCluster {
  id: number;
  isDefault: boolean;
  scopes: Partial<Scopes>;
}

/** unmap turns an IPv4-mapped IPv6 address (::ffff:a.b.c.d) into plain IPv4. */
function unmap(ip: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return m?.[1] ?? ip;
}

/** cidrScore is 1 when `ip` lies in any of `cidrs`; malformed entries are skipped. Formula: 1 if ∃ cidr ∋ ip else 0. */
export function cidrScore(ip: string, cidrs: readonly string[]): number {
  const addr = unmap(ip);
  const family = isIP(addr);
  if (family === 0) return 0;
  for (const cidr of cidrs) {
    const [net = "", bits = ""] = cidr.split("/");
    const netFamily = isIP(unmap(net));
    if (netFamily !== family || !/^\d{1,3}$/.test(bits)) continue;
    try {
      const list = new BlockList();
      list.addSubnet(unmap(net), Number(bits), family === 4 ? "ipv4" : "ipv6");
      if (list.check(addr, family === 4 ? "ipv4" : "ipv6")) return 1;
    } catch {
      // A prefix length out of range for its family matches nothing.
    }
  }
  return 0;
}

/** hostnameScore is 1 when any regex in `patterns` matches `hostname` (unanchored); bad regexes are skipped. */
export function hostnameScore(hostname: string, patterns: readonly string[]): number {
  if (!hostname) return 0;
  for (const p of patterns) {
    try {
      if (new RegExp(p).test(hostname)) return 1;
    } catch {
      // An invalid pattern matches nothing.
    }
  }
  return 0;
}

/** idcScore is 1 when the host's IDC equals the scope's IDC or one of its `|`-separated items, case-insensitively. */
export function idcScore(hostIdc: string, scopeIdc: string): number {
  if (!hostIdc || !scopeIdc) return 0;
  const host = hostIdc.toLowerCase();
  const scope = scopeIdc.toLowerCase();
  return scope === host || scope.split(AFFINITY_SEPARATOR).includes(host) ? 1 : 0;
}

/**
 * locationScore rewards a shared location prefix. Formula: 1 if equal (case-insensitively), else
 * (number of leading `|`-separated elements that match, at most 5) / 5.
 */
export function locationScore(hostLocation: string, scopeLocation: string): number {
  if (!hostLocation || !scopeLocation) return 0;
  const a = hostLocation.toLowerCase();
  const b = scopeLocation.toLowerCase();
  if (a === b) return 1;
  const as = a.split(AFFINITY_SEPARATOR);
  const bs = b.split(AFFINITY_SEPARATOR);
  const n = Math.min(as.length, bs.length, MAX_LOCATION_ELEMENTS);
  let same = 0;
  while (same < n && as[same] === bs[same]) same++;
  return same / MAX_LOCATION_ELEMENTS;
}

/** scoreCluster is the weighted sum of all affinities of `host` to `cluster`. */
export function scoreCluster(host: SearchHost, cluster: CandidateCluster): number {
  const s = cluster.scopes;
  return (
    WEIGHTS.cidr * cidrScore(host.ip, s.cidrs ?? []) +
    WEIGHTS.hostname * hostnameScore(host.hostname, s.hostnames ?? []) +
    WEIGHTS.idc * idcScore(host.idc, s.idc ?? "") +
    WEIGHTS.location * locationScore(host.location, s.location ?? "") +
    WEIGHTS.isDefault * (cluster.isDefault ? 1 : 0)
  );
}

/** rankClusters orders clusters best first; equal scores keep the lower id first, so results are stable. */
export function rankClusters<T extends CandidateCluster>(
  host: SearchHost,
  clusters: readonly T[],
): Array<{ cluster: T; score: number }> {
  return clusters
    .map((cluster) => ({ cluster, score: scoreCluster(host, cluster) }))
    .sort((x, y) => y.score - x.score || x.cluster.id - y.cluster.id);
}

/** bestCluster is the highest-ranked cluster, or undefined when there is none. */
export function bestCluster<T extends CandidateCluster>(
  host: SearchHost,
  clusters: readonly T[],
): T | undefined {
  return rankClusters(host, clusters)[0]?.cluster;
}
