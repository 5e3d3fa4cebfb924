import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

import { DfError, ErrorCode } from "@df/errors";

/** SOURCE_IDLE_TIMEOUT_MS aborts a source request that sends nothing for this long. */
export const SOURCE_IDLE_TIMEOUT_MS = 30_000;
/** MAX_REDIRECTS bounds redirect chains (object stores redirect to signed URLs). */
const MAX_REDIRECTS = 5;

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 256 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256 });
const insecureHttpsAgent = new HttpsAgent({
  keepAlive: true,
  maxSockets: 256,
  rejectUnauthorized: false,
});

/** SourceRequest is a request to the origin; header values are never logged. */
export interface SourceRequest {
  url: string;
  headers: Record<string, string>;
  /** insecureSkipVerify turns off upstream TLS verification (operator opt-in only). */
  insecureSkipVerify?: boolean;
  signal?: AbortSignal;
}

/** redactUrl drops the query string, which may hold signatures, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(invalid url)";
  }
}

/** sourceError is the typed failure of an origin response, carrying its HTTP status. */
export function sourceError(status: number, statusText: string, url: string): DfError {
  return new DfError(
    ErrorCode.SourceError,
    `source responded ${status} ${statusText} for ${redactUrl(url)}`,
    {
      statusCode: status,
    },
  );
}

function send(
  req: SourceRequest,
  url: URL,
  headers: Record<string, string>,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const isHttps = url.protocol === "https:";
    if (!isHttps && url.protocol !== "http:") {
      reject(
        new DfError(
          ErrorCode.InvalidArgument,
          `unsupported source scheme ${url.protocol} (http and https only)`,
        ),
      );
      return;
    }
    const agent = isHttps ? (req.insecureSkipVerify ? insecureHttpsAgent : httpsAgent) : httpAgent;
    const r = (isHttps ? httpsRequest : httpRequest)(url, { method: "GET", headers, agent });
    // The signal is wired by hand and unwired when the exchange closes: a signal left on a pooled
    // keep-alive socket would destroy it later, with nobody listening for the error.
    const signal = req.signal;
    const onAbort = () =>
      r.destroy(new DfError(ErrorCode.Timeout, "download cancelled or timed out"));
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    r.once("close", () => signal?.removeEventListener("abort", onAbort));
    r.setTimeout(SOURCE_IDLE_TIMEOUT_MS, () =>
      r.destroy(
        new DfError(
          ErrorCode.Timeout,
          `source ${redactUrl(url.href)} sent nothing for ${SOURCE_IDLE_TIMEOUT_MS} ms`,
        ),
      ),
    );
    r.once("response", resolve);
    r.once("error", (err) =>
      reject(
        err instanceof DfError
          ? err
          : new DfError(
              ErrorCode.SourceError,
              `source ${redactUrl(url.href)} unreachable: ${err.message}`,
              {},
              err,
            ),
      ),
    );
    r.end();
  });
}

/**
 * get sends a GET, following redirects. Authorization is dropped when a redirect leaves the
 * original host, so credentials never reach a third party (such as an object store).
 */
export async function get(
  req: SourceRequest,
  extraHeaders: Record<string, string> = {},
): Promise<IncomingMessage> {
  let url = new URL(req.url);
  let headers: Record<string, string> = {
    "user-agent": "dragonfly-ts/dfdaemon",
    ...req.headers,
    ...extraHeaders,
  };
  for (let hop = 0; ; hop++) {
    const res = await send(req, url, headers);
    const location = res.headers.location;
    if (
      res.statusCode &&
      [301, 302, 303, 307, 308].includes(res.statusCode) &&
      location &&
      hop < MAX_REDIRECTS
    ) {
      res.resume();
      const next = new URL(location, url);
      if (next.host !== url.host) {
        headers = Object.fromEntries(
          Object.entries(headers).filter(([k]) => k.toLowerCase() !== "authorization"),
        );
      }
      url = next;
      continue;
    }
    return res;
  }
}

/** Probe is what the length probe learned about the content. */
export interface Probe {
  contentLength: number;
  headers: Record<string, string>;
  /**
   * rangeable is false when the origin answered the range probe with the whole body (200): it
   * ignores Range, so the content can only be fetched as one stream from the first byte.
   */
  rangeable: boolean;
}

/** KEPT_HEADERS are origin headers remembered for later responses (the proxy replays them). */
const KEPT_HEADERS = [
  "content-type",
  "etag",
  "last-modified",
  "cache-control",
  "docker-content-digest",
];

/**
 * probe finds the content length with `GET Range: bytes=0-0` (not HEAD: signed URLs are bound
 * to the method). A 206 gives the total in Content-Range; a 200 gives Content-Length.
 */
export async function probe(req: SourceRequest): Promise<Probe> {
  const res = await get(req, { range: "bytes=0-0" });
  res.resume();
  const status = res.statusCode ?? 0;
  const headers: Record<string, string> = {};
  for (const k of KEPT_HEADERS) {
    const v = res.headers[k];
    if (typeof v === "string") headers[k] = v;
  }
  let total: number | undefined;
  if (status === 206) {
    total = Number(/\/(\d+)$/.exec(res.headers["content-range"] ?? "")?.[1]);
  } else if (status === 200) {
    total = Number(res.headers["content-length"]);
    res.destroy();
  } else if (status === 416) {
    total = 0;
  } else {
    throw sourceError(status, res.statusMessage ?? "", req.url);
  }
  if (total === undefined || !Number.isSafeInteger(total) || total < 0) {
    throw new DfError(
      ErrorCode.SourceError,
      `source ${redactUrl(req.url)} did not tell the content length`,
    );
  }
  return { contentLength: total, headers, rangeable: status !== 200 };
}

/** openRange opens bytes [start, start+length) of the source and checks the answer is that range. */
export async function openRange(
  req: SourceRequest,
  start: number,
  length: number,
  total: number,
): Promise<IncomingMessage> {
  const res = await get(req, { range: `bytes=${start}-${start + length - 1}` });
  const status = res.statusCode ?? 0;
  const whole = status === 200 && start === 0 && length === total;
  const rightRange =
    status === 206 && (res.headers["content-range"] ?? "").startsWith(`bytes ${start}-`);
  if (whole || rightRange) return res;
  res.resume();
  if (status >= 400) throw sourceError(status, res.statusMessage ?? "", req.url);
  // The status is kept so the answer is not retried: asking again gets the same answer.
  throw new DfError(
    ErrorCode.SourceError,
    `source ${redactUrl(req.url)} ignored the range request (status ${status})`,
    { statusCode: status },
  );
}

/**
 * openWhole opens the whole body of an origin that ignores Range and checks it is the content
 * the probe measured: a 200 whose Content-Length, when given, is `total`.
 */
export async function openWhole(req: SourceRequest, total: number): Promise<IncomingMessage> {
  const res = await get(req);
  const status = res.statusCode ?? 0;
  const length = res.headers["content-length"];
  if (status === 200 && (length === undefined || Number(length) === total)) return res;
  res.resume();
  if (status >= 400) throw sourceError(status, res.statusMessage ?? "", req.url);
  throw new DfError(
    ErrorCode.SourceError,
    status === 200
      ? `source ${redactUrl(req.url)} changed length from ${total} to ${length} bytes`
      : `source ${redactUrl(req.url)} answered ${status} to a plain GET`,
    { statusCode: status },
  );
}
