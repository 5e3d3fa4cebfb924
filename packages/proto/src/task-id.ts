/**
 * Task ids are part of the wire contract: the scheduler, the manager and every dfdaemon must
 * derive the same id for the same content request, so the one implementation lives here.
 */
import { createHash } from "node:crypto";

/**
 * DEFAULT_FILTERED_QUERY_PARAMS are signing parameters of common object stores (S3, GCS, OSS,
 * OBS, COS) and containerd's `ns`: they change per request but not the content, so they are
 * removed before the task id is computed.
 */
export const DEFAULT_FILTERED_QUERY_PARAMS: readonly string[] = [
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Date",
  "X-Amz-Expires",
  "X-Amz-SignedHeaders",
  "X-Amz-Signature",
  "X-Amz-Security-Token",
  "X-Amz-User-Agent",
  "X-Goog-Algorithm",
  "X-Goog-Credential",
  "X-Goog-Date",
  "X-Goog-Expires",
  "X-Goog-SignedHeaders",
  "X-Goog-Signature",
  "OSSAccessKeyId",
  "Expires",
  "Signature",
  "SecurityToken",
  "AccessKeyId",
  "X-Obs-Date",
  "X-Obs-Security-Token",
  "q-sign-algorithm",
  "q-ak",
  "q-sign-time",
  "q-key-time",
  "q-header-list",
  "q-url-param-list",
  "q-signature",
  "x-cos-security-token",
  "ns",
];

/** TaskIdInput is what identifies a content request. */
export interface TaskIdInput {
  url: string;
  tag?: string | undefined;
  application?: string | undefined;
  /** pieceLength is included only when the caller chose it explicitly. */
  pieceLength?: number | undefined;
  filteredQueryParams?: readonly string[] | undefined;
}

/** normalizeUrl parses the URL, drops filtered query parameters and a bare `/` path. */
export function normalizeUrl(raw: string, filtered: readonly string[]): string {
  const url = new URL(raw);
  const drop = new Set(filtered);
  const kept = new URLSearchParams();
  for (const [k, v] of url.searchParams) if (!drop.has(k)) kept.append(k, v);
  url.search = kept.toString();
  const text = url.toString();
  if (url.pathname !== "/") return text;
  // `https://a.com/` and `https://a.com` name the same content.
  const rest = text.slice(url.origin.length + 1);
  return url.origin + rest;
}

/**
 * taskId computes the id every host derives for the same content request, compatible with
 * Dragonfly's client. Formula: hex(sha256(normalizedUrl ‖ tag ‖ application ‖ pieceLength ‖
 * "STANDARD")), where empty parts contribute nothing and pieceLength is its decimal string.
 */
export function taskId(input: TaskIdInput): string {
  const h = createHash("sha256");
  h.update(normalizeUrl(input.url, input.filteredQueryParams ?? DEFAULT_FILTERED_QUERY_PARAMS));
  if (input.tag) h.update(input.tag);
  if (input.application) h.update(input.application);
  if (input.pieceLength) h.update(String(input.pieceLength));
  h.update("STANDARD");
  return h.digest("hex");
}

/** TASK_ID_PATTERN matches a task id: 64 lowercase hex characters. */
export const TASK_ID_PATTERN = /^[a-f0-9]{64}$/;
