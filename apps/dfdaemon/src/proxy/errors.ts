import type { ServerResponse } from "node:http";

import { DfError, ErrorCode, httpStatusOf, toDfError, type ErrorCodeValue } from "@df/errors";
import type { Logger } from "@df/logger";

/** ErrorType is the `X-Dragonfly-Error-Type` value: who failed, as Dragonfly names it. */
export type ErrorType = "proxy" | "backend" | "dfdaemon";

/** proxyError is a typed error raised by the proxy itself (bad request header, forbidden target). */
export function proxyError(code: ErrorCodeValue, message: string): DfError {
  return new DfError(code, message, { errorType: "proxy" });
}

/** errorTypeOf tells whether the proxy, the source (backend) or the download (dfdaemon) failed. */
export function errorTypeOf(err: DfError): ErrorType {
  if (err.details.errorType === "proxy") return "proxy";
  return err.code === ErrorCode.SourceError ? "backend" : "dfdaemon";
}

/**
 * statusOf maps an error to the HTTP status, once, at the proxy edge: httpStatusOf by code, except
 * that a source's own 4xx (401 for a token, 404 for a missing blob) reaches the client unchanged, so
 * registry clients can react to it as they would without the proxy.
 */
export function statusOf(err: DfError): number {
  const origin = err.details.statusCode;
  if (
    err.code === ErrorCode.SourceError &&
    typeof origin === "number" &&
    origin >= 400 &&
    origin < 500
  )
    return origin;
  return httpStatusOf[err.code];
}

/** sendError answers with the mapped status and error type, or cuts a response already started. */
export function sendError(res: ServerResponse, raw: unknown, log: Logger): void {
  const err = toDfError(raw);
  const type = errorTypeOf(err);
  if (res.headersSent) {
    log.warn("proxy response cut short", { code: err.code, reason: err.message });
    res.destroy(err);
    return;
  }
  const status = statusOf(err);
  if (status >= 500) log.warn("proxy request failed", { code: err.code, reason: err.message });
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "x-dragonfly-error-type": type,
    "x-dragonfly-error-code": err.code,
  });
  res.end(`${err.message}\n`);
}
