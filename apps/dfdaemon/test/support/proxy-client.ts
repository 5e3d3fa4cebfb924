import { request, type IncomingHttpHeaders } from "node:http";
import type { Socket } from "node:net";

import type { TestDaemon } from "./daemon";

/** Answer is a whole HTTP answer, body included. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** proxyPortOf reads the proxy port a test daemon was started with (the last flag wins). */
export function proxyPortOf(d: TestDaemon): number {
  const flag = d.args.filter((a) => a.startsWith("--proxy.port=")).at(-1);
  return Number(flag?.split("=")[1]);
}

/**
 * viaProxy sends one request to the proxy: an absolute URL (`http://host/path`, HTTP proxy form)
 * or a path (`/v2/...`, registry-mirror form).
 */
export function viaProxy(
  port: number,
  target: string,
  opts: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const host = target.startsWith("/") ? `127.0.0.1:${port}` : new URL(target).host;
    const req = request({
      host: "127.0.0.1",
      port,
      method: opts.method ?? "GET",
      path: target,
      headers: { host, ...opts.headers },
      agent: false,
    });
    req.once("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.once("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.once("error", reject);
    });
    req.once("error", reject);
    req.end(opts.body);
  });
}

/** connectVia opens a CONNECT tunnel; resolves with the status and, on 200, the raw socket. */
export function connectVia(
  port: number,
  authority: string,
): Promise<{ status: number; socket: Socket; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port,
      method: "CONNECT",
      path: authority,
      agent: false,
    });
    req.once("connect", (res, socket) =>
      resolve({ status: res.statusCode ?? 0, socket, headers: res.headers }),
    );
    req.once("response", (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, socket: res.socket, headers: res.headers });
    });
    req.once("error", reject);
    req.end();
  });
}
