import type { IncomingMessage, ServerResponse } from "node:http";

import { ErrorCode, httpStatusOf, invalidArgument, toDfError } from "@df/errors";
import type { Logger } from "@df/logger";

import type { Page } from "../services/pagination";
import type { RestReply } from "./router";

/** MAX_BODY_BYTES caps a request body. */
const MAX_BODY_BYTES = 1 << 20;

/** ErrorBody is the one error shape of the REST API. */
export interface ErrorBody {
  code: string;
  message: string;
}

/** camelKey turns `per_page` into `perPage`; camelCase keys pass unchanged. */
export const camelKey = (key: string): string =>
  key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** snakeKey turns `perPage` into `per_page`. */
export const snakeKey = (key: string): string =>
  key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** camelKeys renames the top-level keys of an object, so Dragonfly's snake_case fields are accepted. */
export function camelKeys(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camelKey(k), v]));
}

/** queryOf reads a query string into an object of first values with camelCased keys. */
export function queryOf(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) if (!(camelKey(k) in out)) out[camelKey(k)] = v;
  return out;
}

/** readJsonBody reads a JSON body; a non-empty body must be `application/json` (which also stops form-based CSRF). */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw invalidArgument("body", "is larger than 1 MiB");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return undefined;
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? ""))
    throw invalidArgument("content-type", "must be application/json");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidArgument("body", "is not valid JSON");
  }
}

/** send writes a reply as JSON. */
export function send(res: ServerResponse, reply: RestReply): void {
  const status = reply.status ?? 200;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  headers["content-type"] = "application/json; charset=utf-8";
  res.writeHead(status, headers).end(JSON.stringify(reply.body));
}

/** sendError maps any error to its HTTP status and `{code, message}`; internal details are logged, not sent. */
export function sendError(res: ServerResponse, err: unknown, log: Logger): void {
  const df = toDfError(err);
  const status = httpStatusOf[df.code];
  const headers: Record<string, string> = {};
  const retry = df.details.retryAfterSeconds;
  if (df.code === ErrorCode.RateLimited && typeof retry === "number")
    headers["retry-after"] = String(retry);
  let body: ErrorBody = { code: df.code, message: df.message };
  if (df.code === ErrorCode.Internal) {
    log.error("rest handler failed", { error: df.message });
    body = { code: df.code, message: "internal error" };
  }
  if (res.headersSent) return void res.end();
  send(res, { status, body, headers });
}

/** paged replies with one page: the items as the body, plus `X-Total-Count` and an RFC 8288 `Link` header. */
export function paged<T>(url: URL, page: Page<T>): RestReply {
  const last = Math.max(1, Math.ceil(page.total / page.perPage));
  const link = (n: number, rel: string) => {
    const q = new URLSearchParams(url.searchParams);
    q.delete("perPage");
    q.set("page", String(n));
    q.set("per_page", String(page.perPage));
    return `<${url.pathname}?${q.toString()}>; rel="${rel}"`;
  };
  const links = [link(1, "first")];
  if (page.page > 1) links.push(link(Math.min(page.page - 1, last), "prev"));
  if (page.page < last) links.push(link(page.page + 1, "next"));
  links.push(link(last, "last"));
  return {
    body: page.items,
    headers: { "x-total-count": String(page.total), link: links.join(", ") },
  };
}
