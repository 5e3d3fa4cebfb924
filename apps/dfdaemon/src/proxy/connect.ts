import { STATUS_CODES, type IncomingMessage, type Server } from "node:http";
import { connect, type Socket } from "node:net";

import { DfError, ErrorCode, toDfError } from "@df/errors";
import type { Logger } from "@df/logger";

import type { AccessPolicy } from "./access";
import { errorTypeOf, statusOf } from "./errors";
import type { Interceptor } from "./intercept";

/** ConnectDeps are what a CONNECT needs: the policy, the optional interceptor, open tunnels. */
export interface ConnectDeps {
  access: AccessPolicy;
  interceptor?: Interceptor | undefined;
  server: Server;
  /** tunnels holds the open client sockets so stop() can cut them. */
  tunnels: Set<Socket>;
  log: Logger;
}

/** refuse writes a raw HTTP error answer on a CONNECT socket and closes it. */
function refuse(socket: Socket, err: unknown): void {
  const e = toDfError(err);
  const body = `${e.message}\n`;
  socket.end(
    `HTTP/1.1 ${statusOf(e)} ${STATUS_CODES[statusOf(e)] ?? "Error"}\r\n` +
      `X-Dragonfly-Error-Type: ${errorTypeOf(e)}\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * handleConnect serves `CONNECT host:port`: an allowed destination gets a blind TCP tunnel, or,
 * for a host configured for interception, a TLS termination feeding the proxy's HTTP handler.
 */
export function handleConnect(
  deps: ConnectDeps,
  req: IncomingMessage,
  client: Socket,
  head: Buffer,
): void {
  deps.tunnels.add(client);
  client.once("close", () => deps.tunnels.delete(client));
  client.on("error", () => client.destroy());
  let host: string;
  let port: number;
  try {
    const url = new URL(`http://${req.url ?? ""}`);
    host = url.hostname.replace(/^\[|\]$/g, "");
    port = Number(url.port) || 443;
    deps.access.check(host, port);
  } catch (err) {
    refuse(client, err);
    return;
  }
  if (deps.interceptor?.matches(host)) {
    deps.interceptor.terminate(deps.server, client, head, host, `${bracket(host)}:${port}`);
    return;
  }
  const upstream = connect(port, host);
  let open = false;
  upstream.once("connect", () => {
    open = true;
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length > 0) upstream.write(head);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  upstream.on("error", (err) => {
    if (open) client.destroy();
    else
      refuse(
        client,
        new DfError(ErrorCode.SourceError, `cannot reach ${host}:${port}: ${err.message}`),
      );
    deps.log.debug("tunnel failed", { target: `${host}:${port}`, reason: err.message });
  });
  client.once("close", () => upstream.destroy());
}

/** bracket puts an IPv6 address in brackets for use in an authority. */
const bracket = (host: string) => (host.includes(":") ? `[${host}]` : host);
