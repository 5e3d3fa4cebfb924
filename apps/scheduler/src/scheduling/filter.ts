import type { SchedulerConfig } from "@df/cluster-config";

import { PeerState } from "../resource/lifecycle";
import type { Peer } from "../resource/peer";
import type { BadParentConfig } from "./bad-parent";
import { judgeParent } from "./bad-parent";

/** RejectReason names why a candidate parent was filtered out; the console shows these strings. */
export const RejectReason = {
  NotServing: "state cannot serve",
  SameHost: "same host",
  Blocked: "blocked",
  SharingDisabled: "host sharing disabled",
  BadParent: "bad parent",
  SlowParent: "slow parent",
  Descendant: "descendant of child",
  EdgeRefused: "edge cannot be added",
  HostIsolated: "host isolated",
  UploadLimit: "host upload limit reached",
} as const;
/** RejectReason is one rejection reason string. */
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

/** SERVING_STATES are the peer states that hold or are fetching pieces others can download. */
export const SERVING_STATES: readonly PeerState[] = [
  PeerState.Running,
  PeerState.BackToSource,
  PeerState.Succeeded,
];

/**
 * PARENT_STATES are the states a candidate parent may be in: the serving states, plus a peer that
 * has registered and is about to download. Children learn a parent's pieces as they land (the
 * piece sync stream), so peers that start together can feed each other instead of all waiting on
 * the seed peer.
 */
export const PARENT_STATES: readonly PeerState[] = [PeerState.ReceivedNormal, ...SERVING_STATES];

/** FilterConfig is the part of the cluster config the filter reads. */
export type FilterConfig = BadParentConfig &
  Pick<SchedulerConfig, "filter_parent_limit" | "seed_peer_load_limit" | "peer_load_limit">;

/** Sampler picks up to n items at random; tests inject a deterministic one. */
export type Sampler = <T>(items: readonly T[], n: number) => T[];

/** randomSample is a partial Fisher-Yates shuffle returning up to n distinct items. */
export function randomSample<T>(items: readonly T[], n: number, random = Math.random): T[] {
  const pool = [...items];
  const k = Math.min(n, pool.length);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    const a = pool[i];
    const b = pool[j];
    if (a === undefined || b === undefined) continue;
    pool[i] = b;
    pool[j] = a;
  }
  return pool.slice(0, k);
}

/** Rejection is one candidate filtered out with its reason. */
export interface Rejection {
  peer: Peer;
  reason: RejectReason;
}

/** FilterResult holds the candidates that passed and those that did not. */
export interface FilterResult {
  kept: Peer[];
  rejected: Rejection[];
}

/** FilterContext is what one filter pass computes once for every candidate. */
export interface FilterContext {
  now: number;
  /** descendants are the peers downstream of the child; none of them may become its parent. */
  descendants: ReadonlySet<string>;
}

/** rejectReason is the first rule the candidate breaks as a parent of the child, if any. */
export function rejectReason(
  child: Peer,
  parent: Peer,
  config: FilterConfig,
  ctx: FilterContext,
): RejectReason | undefined {
  if (!parent.fsm.is(...PARENT_STATES)) return RejectReason.NotServing;
  if (parent.host.id === child.host.id) return RejectReason.SameHost;
  if (child.blockParents.has(parent.id)) return RejectReason.Blocked;
  if (parent.host.info.disableShared === true) return RejectReason.SharingDisabled;
  const verdict = judgeParent(child, parent.id, config);
  if (verdict === "marked") return RejectReason.BadParent;
  if (verdict === "slow") return RejectReason.SlowParent;
  // With descendants excluded, parent -> child can be added iff both are in the DAG and it is new.
  const dag = child.task.dag;
  if (ctx.descendants.has(parent.id)) return RejectReason.Descendant;
  if (!dag.has(parent.id) || !dag.has(child.id) || dag.hasEdge(parent.id, child.id)) {
    return RejectReason.EdgeRefused;
  }
  if (parent.host.isIsolated(ctx.now)) return RejectReason.HostIsolated;
  if (parent.host.freeUploadSlots(config) <= 0) return RejectReason.UploadLimit;
  return undefined;
}

/**
 * filterCandidateParents samples up to `filter_parent_limit` other peers of the child's task and
 * keeps those that may serve it, recording the reason for every one it drops.
 */
export function filterCandidateParents(
  child: Peer,
  config: FilterConfig,
  deps: { now: number; sample?: Sampler },
): FilterResult {
  const sample = deps.sample ?? randomSample;
  const others = [...child.task.peers.values()].filter((p) => p.id !== child.id);
  const ctx = { now: deps.now, descendants: child.task.dag.descendants(child.id) };
  const result: FilterResult = { kept: [], rejected: [] };
  for (const peer of sample(others, config.filter_parent_limit)) {
    const reason = rejectReason(child, peer, config, ctx);
    if (reason === undefined) result.kept.push(peer);
    else result.rejected.push({ peer, reason });
  }
  return result;
}
