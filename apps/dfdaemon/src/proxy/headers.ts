import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";

import { ErrorCode } from "@df/errors";

import { proxyError } from "./errors";

/** DF_HEADER names the X-Dragonfly-* headers the proxy reads and writes (lower case, as Node). */
export const DF_HEADER = {
  tag: "x-dragonfly-tag",
  application: "x-dragonfly-application",
  filteredQueryParams: "x-dragonfly-filtered-query-params",
  useP2P: "x-dragonfly-use-p2p",
  registry: "x-dragonfly-registry",
  via: "x-dragonfly-via",
  taskId: "x-dragonfly-task-id",
  errorType: "x-dragonfly-error-type",
} as const;

/** Via says where the response bytes came from: the P2P task, or straight from the source. */
export type Via = "p2p" | "source";

/** DragonflyHeaders is the per-request control a client sends with X-Dragonfly-* headers. */
export interface DragonflyHeaders {
  tag: string;
  application: string;
  /** filteredQueryParams, when sent, replace the rule's list of query params dropped from the id. */
  filteredQueryParams?: string[];
  /** useP2P forces P2P for a GET no rule matches (true) or pass-through for one that does (false). */
  useP2P?: boolean;
  /** registry is the mirror-mode upstream, e.g. `https://ghcr.io`. */
  registry?: string;
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** parseDragonflyHeaders reads the X-Dragonfly-* request headers, refusing malformed values. */
export function parseDragonflyHeaders(h: IncomingHttpHeaders): DragonflyHeaders {
  const out: DragonflyHeaders = {
    tag: one(h[DF_HEADER.tag])?.trim() ?? "",
    application: one(h[DF_HEADER.application])?.trim() ?? "",
  };
  const filtered = one(h[DF_HEADER.filteredQueryParams]);
  if (filtered !== undefined) {
    out.filteredQueryParams = filtered
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  }
  const useP2P = one(h[DF_HEADER.useP2P])?.trim().toLowerCase();
  if (useP2P !== undefined) {
    if (useP2P !== "true" && useP2P !== "false") {
      throw proxyError(
        ErrorCode.InvalidArgument,
        `${DF_HEADER.useP2P} must be true or false, got ${JSON.stringify(useP2P)}`,
      );
    }
    out.useP2P = useP2P === "true";
  }
  const registry = one(h[DF_HEADER.registry])?.trim();
  if (registry) out.registry = registry;
  return out;
}

/** HOP_BY_HOP are connection-level headers a proxy must not forward (RFC 9110 section 7.6.1). */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** endToEnd copies headers minus hop-by-hop ones and those the Connection header names. */
export function endToEnd(h: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    (one(h.connection) ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || HOP_BY_HOP.has(k) || named.has(k)) continue;
    out[k] = v;
  }
  return out;
}

/**
 * endToEndRaw is endToEnd for a raw header list (name, value, name, value): names keep their case,
 * order and repeats. With `dropLength`, Content-Length goes too (a body whose framing changed).
 */
export function endToEndRaw(raw: readonly string[], dropLength = false): string[] {
  const named = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() !== "connection") continue;
    for (const t of (raw[i + 1] as string).split(",")) named.add(t.trim().toLowerCase());
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const k = (raw[i] as string).toLowerCase();
    if (HOP_BY_HOP.has(k) || named.has(k) || (dropLength && k === "content-length")) continue;
    out.push(raw[i] as string, raw[i + 1] as string);
  }
  return out;
}

/** upstreamHeaders are the request headers sent upstream: end-to-end, no X-Dragonfly-*, no Host. */
export function upstreamHeaders(h: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out = endToEnd(h);
  for (const k of Object.keys(out)) if (k === "host" || k.startsWith("x-dragonfly-")) delete out[k];
  return out;
}

/**
 * taskHeaders are the request headers a P2P task fetches the source with (Authorization and such).
 * Range, conditionals and Accept-Encoding are dropped: pieces are fetched by their own ranges, and
 * a 304 or a compressed body would not be the content.
 */
export function taskHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(upstreamHeaders(h))) {
    if (k === "range" || k === "accept-encoding" || k.startsWith("if-")) continue;
    if (typeof v === "string") out[k] = v;
    else if (Array.isArray(v)) out[k] = v.join(", ");
  }
  return out;
}
