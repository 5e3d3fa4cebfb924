import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

import { DfError, ErrorCode } from "@df/errors";

import { redactUrl } from "../backend/http-source";
import { DF_HEADER, endToEnd, upstreamHeaders } from "./headers";
import { hasBody, rawPassThrough } from "./upstream";

const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 256 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 256 }),
  insecure: new HttpsAgent({ keepAlive: true, maxSockets: 256, rejectUnauthorized: false }),
};

/**
 * passThrough forwards a request to `target` and streams the answer back with its status and
 * end-to-end headers, plus `X-Dragonfly-Via: source`. Bodies stream both ways (uploads too); the
 * upstream's TLS is verified unless `insecure`. Resolves when the answer is fully sent. Body-less
 * requests (GET, HEAD, most of a registry's traffic) take the raw client of upstream.ts, which
 * moves large bodies at a fraction of node:http's CPU; requests with a body take node:http.
 */
export function passThrough(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  insecure: boolean,
): Promise<void> {
  if (!hasBody(req)) return rawPassThrough(req, res, target, insecure);
  return nodePassThrough(req, res, target, insecure);
}

/** nodePassThrough forwards with node:http's client, streaming the request body upstream. */
function nodePassThrough(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  insecure: boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const https = target.protocol === "https:";
    const agent = https ? (insecure ? agents.insecure : agents.https) : agents.http;
    const up = (https ? httpsRequest : httpRequest)(target, {
      method: req.method,
      headers: { ...upstreamHeaders(req.headers), host: target.host },
      agent,
    });
    const unreachable = (err: Error) =>
      new DfError(
        ErrorCode.SourceError,
        `upstream ${redactUrl(target.href)} unreachable: ${err.message}`,
        {},
        err,
      );
    up.once("error", (err) => reject(res.headersSent ? err : unreachable(err)));
    // A client that goes away takes its upstream exchange with it.
    res.once("close", () => {
      if (!res.writableFinished) up.destroy();
    });
    up.once("response", (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, {
        ...endToEnd(upRes.headers),
        [DF_HEADER.via]: "source",
      });
      upRes.pipe(res);
      upRes.once("error", reject);
      res.once("finish", () => resolve());
      res.once("close", () => resolve());
    });
    req.pipe(up);
  });
}
