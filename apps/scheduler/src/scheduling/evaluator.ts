import type { UploadLimits } from "../resource/host";
import { PeerState } from "../resource/lifecycle";
import type { Peer } from "../resource/peer";

/** LOAD_WEIGHT is the share of the total given to the parent host's spare upload capacity. */
export const LOAD_WEIGHT = 0.35;
/** PIECES_WEIGHT is the share given to how many pieces the parent can add for the child. */
export const PIECES_WEIGHT = 0.3;
/** IDC_WEIGHT is the share given to sharing the child's data centre. */
export const IDC_WEIGHT = 0.15;
/** LOCATION_WEIGHT is the share given to closeness in the `|`-separated location. */
export const LOCATION_WEIGHT = 0.1;
/** HOST_TYPE_WEIGHT is the share given to seed hosts. */
export const HOST_TYPE_WEIGHT = 0.1;
/** MAX_LOCATION_ELEMENTS is how many leading location elements are compared. */
export const MAX_LOCATION_ELEMENTS = 5;

/** ScoreBreakdown holds each unweighted 0..1 score of one candidate. */
export interface ScoreBreakdown {
  load: number;
  pieces: number;
  idc: number;
  location: number;
  hostType: number;
}

/** ScoredCandidate is a candidate with its weighted total and breakdown. */
export interface ScoredCandidate {
  peer: Peer;
  score: number;
  breakdown: ScoreBreakdown;
  /** children is how many unfinished children of the task the parent already feeds. */
  children: number;
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/**
 * loadScore is the share of the parent host's upload slots still free.
 * Formula: load = 1 − busyUploads / uploadLimit (0 when the limit is 0)
 */
export function loadScore(parent: Peer, limits: UploadLimits): number {
  const limit = parent.host.uploadLimit(limits);
  return limit > 0 ? clamp01(1 - parent.host.uploadsBusy() / limit) : 0;
}

/** activeChildren counts the children of the task the parent still feeds (not yet finished). */
export function activeChildren(parent: Peer): number {
  let n = 0;
  for (const c of parent.task.childrenOf(parent.id)) if (c.state !== PeerState.Succeeded) n += 1;
  return n;
}

/**
 * piecesScore is how much of what the child still needs the parent already holds. When the task's
 * piece count is unknown, the pieces either of them holds stand in for it.
 * Formula: pieces = |parent \ child| / max(1, total − |child|), total = pieceCount or |parent ∪ child|
 */
export function piecesScore(child: Peer, parent: Peer): number {
  const have = child.finishedPieces;
  let useful = 0;
  for (const n of parent.finishedPieces) if (!have.has(n)) useful += 1;
  const total = child.task.totalPieceCount > 0 ? child.task.totalPieceCount : have.size + useful;
  return clamp01(useful / Math.max(1, total - have.size));
}

/**
 * idcScore rewards a parent in the child's data centre (case-insensitive, empty never matches).
 * Formula: idc = 1 if child.idc ≠ "" and lower(child.idc) = lower(parent.idc), else 0
 */
export function idcScore(child: Peer, parent: Peer): number {
  const a = child.host.idc.toLowerCase();
  return a !== "" && a === parent.host.idc.toLowerCase() ? 1 : 0;
}

/**
 * locationScore rewards a parent sharing a long leading part of the child's location.
 * Formula: location = 1 if equal and non-empty, else min(5, common leading `|` elements) / 5
 */
export function locationScore(child: Peer, parent: Peer): number {
  const a = child.host.location.toLowerCase();
  const b = parent.host.location.toLowerCase();
  if (a === "" || b === "") return 0;
  if (a === b) return 1;
  const xs = a.split("|");
  const ys = b.split("|");
  let common = 0;
  while (common < MAX_LOCATION_ELEMENTS && xs[common] !== undefined && xs[common] === ys[common]) {
    common += 1;
  }
  return common / MAX_LOCATION_ELEMENTS;
}

/**
 * hostTypeScore gives seed hosts a bonus: they fetch from the origin and serve many children.
 * Formula: hostType = 1 for a seed host, else 0
 */
export function hostTypeScore(parent: Peer): number {
  return parent.host.type === "seed" ? 1 : 0;
}

/**
 * scoreParent weighs every score into one 0..1 total.
 * Formula: total = 0.35·load + 0.3·pieces + 0.15·idc + 0.1·location + 0.1·hostType
 */
export function scoreParent(child: Peer, parent: Peer, limits: UploadLimits): ScoredCandidate {
  const breakdown: ScoreBreakdown = {
    load: loadScore(parent, limits),
    pieces: piecesScore(child, parent),
    idc: idcScore(child, parent),
    location: locationScore(child, parent),
    hostType: hostTypeScore(parent),
  };
  const score =
    LOAD_WEIGHT * breakdown.load +
    PIECES_WEIGHT * breakdown.pieces +
    IDC_WEIGHT * breakdown.idc +
    LOCATION_WEIGHT * breakdown.location +
    HOST_TYPE_WEIGHT * breakdown.hostType;
  return { peer: parent, score, breakdown, children: activeChildren(parent) };
}

/**
 * evaluateParents scores each candidate once and sorts best first: parents feeding fewer unfinished
 * children of the task come first, then the higher score, then the peer id. A parent's upload is
 * split among its children, so the child follows one nobody else is pulling from yet: peers that
 * start together line up behind one another, each passing pieces on as they land, instead of all
 * pulling from the seed peer, whose upload alone cannot feed them all. The child fetches from the
 * first parent and keeps the others for when it stalls.
 */
export function evaluateParents(
  child: Peer,
  parents: readonly Peer[],
  limits: UploadLimits,
): ScoredCandidate[] {
  return parents
    .map((p) => scoreParent(child, p, limits))
    .sort(
      (a, b) => a.children - b.children || b.score - a.score || a.peer.id.localeCompare(b.peer.id),
    );
}
