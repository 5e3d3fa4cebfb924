import type { ProxyConfig } from "../config/schema";
import { DIGEST_ALGORITHMS } from "../task/digest";
import type { DragonflyHeaders } from "./headers";

/** Rule is a compiled P2P rule. */
export interface Rule {
  regex: RegExp;
  /** filteredQueryParams are dropped from the task id; empty means the default signing params. */
  filteredQueryParams: string[];
}

/** FORCED_RULE is the rule of a GET sent with `X-Dragonfly-Use-P2P: true` that matches no rule. */
const FORCED_RULE: Rule = { regex: /.*/, filteredQueryParams: [] };

/** compileRules compiles the configured rules once. */
export function compileRules(rules: ProxyConfig["rules"]): Rule[] {
  return rules.map((r) => ({
    regex: new RegExp(r.regex),
    filteredQueryParams: r.filteredQueryParams,
  }));
}

/** matchRule returns the first rule found (unanchored) in the URL without query and fragment. */
export function matchRule(rules: readonly Rule[], url: URL): Rule | undefined {
  const bare = `${url.protocol}//${url.host}${url.pathname}`;
  return rules.find((r) => r.regex.test(bare));
}

/**
 * p2pRule decides whether a request goes through P2P and with which rule: only GETs, the first
 * matching rule, or the forced default rule; `X-Dragonfly-Use-P2P: false` always passes through.
 */
export function p2pRule(
  method: string | undefined,
  url: URL,
  rules: readonly Rule[],
  headers: DragonflyHeaders,
): Rule | undefined {
  if (method !== "GET" || headers.useP2P === false) return undefined;
  return matchRule(rules, url) ?? (headers.useP2P ? FORCED_RULE : undefined);
}

/** BLOB_PATH matches a registry blob path `/v2/<name>/blobs/<algorithm>:<hex>`. */
const BLOB_PATH = /^\/v2\/.+\/blobs\/([a-z0-9]+):([a-f0-9]+)$/;

/** blobDigest returns the `sha256:<hex>` (or sha512) digest named by a registry blob URL. */
export function blobDigest(url: URL): string | undefined {
  const m = BLOB_PATH.exec(url.pathname);
  const [algorithm, value] = [m?.[1], m?.[2]];
  if (!value || (algorithm !== "sha256" && algorithm !== "sha512")) return undefined;
  return DIGEST_ALGORITHMS[algorithm].test(value) ? `${algorithm}:${value}` : undefined;
}
