import type { Inputs } from "../types";

/** CreateJob is the jobs.create input. */
export type CreateJob = Inputs["jobs"]["create"];

/** PreheatScope is where a preheat puts the content. */
export type PreheatScope = "single_seed_peer" | "all_seed_peers" | "all_peers";

/** Narrowing picks which hosts of an "all" scope are used. */
export type Narrowing = "all" | "ips" | "count" | "percentage";

/** PreheatValues are the preheat form's fields as typed. */
export interface PreheatValues {
  bio: string;
  kind: "file" | "image";
  /** urls are the file URLs, one per line. */
  urls: string;
  /** url is the image manifest URL. */
  url: string;
  platform: string;
  username: string;
  password: string;
  scope: PreheatScope;
  narrowing: Narrowing;
  ips: string;
  count: string;
  percentage: string;
  clusterIds: number[];
  /** headers are `Name: value` lines. */
  headers: string;
  tag: string;
  application: string;
  filteredQueryParams: string;
  timeoutMinutes: string;
}

/** initialPreheat are the defaults of a new preheat. */
export const initialPreheat = (): PreheatValues => ({
  bio: "",
  kind: "image",
  urls: "",
  url: "",
  platform: "linux/amd64",
  username: "",
  password: "",
  scope: "single_seed_peer",
  narrowing: "all",
  ips: "",
  count: "",
  percentage: "50",
  clusterIds: [],
  headers: "",
  tag: "",
  application: "",
  filteredQueryParams: "",
  timeoutMinutes: "",
});

/** lines splits text into trimmed non-empty lines (or comma-separated items). */
const lines = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** headersOf parses `Name: value` lines, or returns an Error naming the bad line. */
export function headersOf(text: string): Record<string, string> | Error {
  const out: Record<string, string> = {};
  for (const [i, line] of text.split("\n").entries()) {
    if (!line.trim()) continue;
    const at = line.indexOf(":");
    if (at <= 0) return new Error(`headers: line ${i + 1} must look like "Name: value"`);
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

/** numberOr returns the number typed, or undefined when the field is empty. */
const numberOr = (text: string): number | undefined => (text.trim() ? Number(text) : undefined);

/**
 * requestOf builds the jobs.create request of a preheat, in Dragonfly's args format. Only the
 * header syntax is checked here; the server validates everything else and names the field.
 */
export function requestOf(v: PreheatValues): CreateJob | Error {
  const headers = headersOf(v.headers);
  if (headers instanceof Error) return headers;
  const all = v.scope !== "single_seed_peer";
  const minutes = numberOr(v.timeoutMinutes);
  const args = {
    type: v.kind,
    ...(v.kind === "image"
      ? { url: v.url.trim(), platform: v.platform, username: v.username, password: v.password }
      : { urls: lines(v.urls) }),
    scope: v.scope,
    ...(all && v.narrowing === "ips" ? { ips: lines(v.ips) } : {}),
    ...(all && v.narrowing === "count" ? { count: numberOr(v.count) } : {}),
    ...(all && v.narrowing === "percentage" ? { percentage: numberOr(v.percentage) } : {}),
    headers,
    tag: v.tag.trim(),
    application: v.application.trim(),
    filtered_query_params: lines(v.filteredQueryParams).join("&"),
    ...(minutes === undefined ? {} : { timeout: Math.round(minutes * 60 * 1e9) }),
  };
  return {
    type: "preheat",
    bio: v.bio.trim(),
    args,
    schedulerClusterIds: v.clusterIds.length ? v.clusterIds : null,
  };
}
