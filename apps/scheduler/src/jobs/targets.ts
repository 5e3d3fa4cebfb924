/**
 * Which hosts a preheat puts content on. Pure: the narrowing rules of Dragonfly's scheduler.
 */
import type { HostType } from "../resource/host";

/** TargetHost is what target selection needs of a host. */
export interface TargetHost {
  id: string;
  type: HostType;
  info: { ip: string };
}

/** Narrowing selects among candidate hosts; the first rule given wins. */
export interface Narrowing {
  /** ips keeps the hosts with these addresses (highest priority). */
  ips: readonly string[];
  /** count keeps the first N hosts, ordered by host id. */
  count?: number | undefined;
  /** percentage keeps floor(N·p/100) hosts, at least one (lowest priority). */
  percentage?: number | undefined;
}

/**
 * narrow applies ips, else count, else percentage, else keeps every candidate. Hosts are ordered
 * by id first, so the same request picks the same hosts.
 * Formula: percentage keeps max(1, floor(n · p / 100)) of n hosts.
 */
export function narrow<H extends TargetHost>(candidates: readonly H[], n: Narrowing): H[] {
  const sorted = [...candidates].sort((a, b) => a.id.localeCompare(b.id));
  if (n.ips.length) return sorted.filter((h) => n.ips.includes(h.info.ip));
  if (n.count) return sorted.slice(0, n.count);
  if (n.percentage)
    return sorted.slice(0, Math.max(1, Math.floor((sorted.length * n.percentage) / 100)));
  return sorted;
}

/** PreheatScope is where a preheat puts the content. */
export type PreheatScope = "single_seed_peer" | "all_seed_peers" | "all_peers";

/**
 * candidatesOf are the hosts a scope may use: seed hosts for the seed scopes, every known host
 * (seed and normal) for all_peers. An empty list comes with the reason.
 */
export function candidatesOf<H extends TargetHost>(
  scope: PreheatScope,
  hosts: readonly H[],
  scheduler: string,
): H[] | Error {
  const pool = scope === "all_peers" ? [...hosts] : hosts.filter((h) => h.type === "seed");
  if (pool.length) return pool;
  return new Error(
    scope === "all_peers"
      ? `no peer has announced itself to scheduler ${scheduler}`
      : `no seed peer has announced itself to scheduler ${scheduler}; start a seed peer (dfdaemon --seedPeer.enable=true) in this cluster`,
  );
}
