import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** OriginFile is content the origin serves at `path`, with optional misbehaviour. */
export interface OriginFile {
  data: Buffer;
  /** status answers every request with this status instead of the content. */
  status?: number;
  /** requireAuth demands this exact Authorization header, else 401. */
  requireAuth?: string;
  /** dropFirstAttempt cuts the connection half-way through the first request of each range. */
  dropFirstAttempt?: boolean;
  /** delayMs waits before answering each request. */
  delayMs?: number;
  /** bytesPerSecond paces the body. */
  bytesPerSecond?: number;
  /** ignoreRange answers every request with the whole body (200), as python's http.server. */
  ignoreRange?: boolean;
}

/** Origin is a real HTTP origin on loopback that counts what it serves. */
export interface Origin {
  url(path: string): string;
  set(path: string, file: OriginFile): void;
  /** bytesServed counts body bytes actually written per path. */
  bytesServed(path: string): number;
  /** ranges lists the Range headers received per path, in order. */
  ranges(path: string): string[];
  /** headersSeen lists the request headers per path. */
  headersSeen(path: string): IncomingMessage["headers"][];
  close(): Promise<void>;
}

/** randomContent returns `size` random bytes and their sha256 digest string. */
export function randomContent(size: number): { data: Buffer; sha256: string } {
  const data = randomBytes(size);
  return { data, sha256: `sha256:${createHash("sha256").update(data).digest("hex")}` };
}

/** startOrigin serves files with Range support on 127.0.0.1, port chosen by the kernel. */
export async function startOrigin(): Promise<Origin> {
  const files = new Map<string, OriginFile>();
  const served = new Map<string, number>();
  const ranges = new Map<string, string[]>();
  const headers = new Map<string, IncomingMessage["headers"][]>();
  const attempts = new Map<string, number>();
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => m.set(k, [...(m.get(k) ?? []), v]);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    const file = files.get(path);
    push(ranges, path, req.headers.range ?? "");
    push(headers, path, req.headers);
    if (!file) return void res.writeHead(404).end("not found");
    if (file.delayMs) await new Promise((r) => setTimeout(r, file.delayMs));
    if (file.status) return void res.writeHead(file.status).end("origin error");
    if (file.requireAuth && req.headers.authorization !== file.requireAuth)
      return void res.writeHead(401).end("unauthorized");
    const total = file.data.length;
    let start = 0;
    let end = total - 1;
    const m = file.ignoreRange ? null : /^bytes=(\d+)-(\d+)?$/.exec(req.headers.range ?? "");
    if (m) {
      start = Number(m[1]);
      end = Math.min(total - 1, m[2] ? Number(m[2]) : total - 1);
      if (start >= total)
        return void res.writeHead(416, { "content-range": `bytes */${total}` }).end();
      res.writeHead(206, {
        "content-range": `bytes ${start}-${end}/${total}`,
        "content-length": String(end - start + 1),
      });
    } else {
      res.writeHead(200, { "content-length": String(total) });
    }
    let body = file.data.subarray(start, end + 1);
    const key = `${path} ${req.headers.range ?? ""}`;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    if (file.dropFirstAttempt && attempt === 1 && body.length > 1)
      body = body.subarray(0, body.length >> 1);
    const chunk = 64 * 1024;
    for (let off = 0; off < body.length; off += chunk) {
      const part = body.subarray(off, off + chunk);
      if (!res.write(part)) await new Promise((r) => res.once("drain", r));
      served.set(path, (served.get(path) ?? 0) + part.length);
      if (file.bytesPerSecond)
        await new Promise((r) => setTimeout(r, (part.length / (file.bytesPerSecond ?? 1)) * 1000));
      if (res.destroyed) return;
    }
    if (body.length < end - start + 1) return void res.destroy();
    res.end();
  };
  const server: Server = createServer(
    (req, res) => void handle(req, res).catch(() => res.destroy()),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    set: (path, file) => files.set(path, file),
    bytesServed: (path) => served.get(path) ?? 0,
    ranges: (path) => ranges.get(path) ?? [],
    headersSeen: (path) => headers.get(path) ?? [],
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
