import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo, type Socket } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { toDfError } from "@df/errors";

import { ChunkedDecoder, framingOf, parseHead, ProtocolError } from "../backend/http1";
import { passThrough } from "./pass-through";

const big = randomBytes(5 * 1024 * 1024 + 7);

/** script answers one request (by path) with the raw bytes to write, or a function of the socket. */
function script(path: string): string | Buffer | ((s: Socket) => void) {
  const head = (lines: string[]) => `${lines.join("\r\n")}\r\n\r\n`;
  switch (path) {
    case "/big":
      return Buffer.concat([
        Buffer.from(
          head([
            "HTTP/1.1 200 OK",
            `Content-Length: ${big.length}`,
            "Set-Cookie: a=1",
            "Set-Cookie: b=2",
            "X-Mixed-Case: yes",
            "Connection: x-hop",
            "X-Hop: dropped",
            "Keep-Alive: timeout=5",
          ]),
        ),
        big,
      ]);
    case "/chunked":
      return (
        head(["HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "Content-Length: 999"]) +
        "5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n"
      );
    case "/close":
      return (s) => s.end(head(["HTTP/1.1 200 OK", "X-Framing: close"]) + "until the end");
    case "/continue":
      return (
        head(["HTTP/1.1 100 Continue"]) + head(["HTTP/1.1 201 Made", "Content-Length: 2"]) + "ok"
      );
    case "/not-modified":
      return head(["HTTP/1.1 304 Not Modified", "ETag: x"]);
    case "/head":
      return head(["HTTP/1.1 200 OK", "Content-Length: 10"]);
    case "/garbage":
      return "HTTP/9 what\r\n\r\n";
    case "/short":
      return (s) => s.end(head(["HTTP/1.1 200 OK", "Content-Length: 100"]) + "only this");
    case "/stale":
      // The connection is dropped without an answer, as a server closing an idle one would.
      return (s) => s.destroy();
    default:
      return head(["HTTP/1.1 200 OK", "Content-Length: 2"]) + "ok";
  }
}

/** Origin is a scripted raw HTTP/1.1 server that counts connections and records request heads. */
interface Origin {
  port: number;
  connections: number;
  heads: string[];
  staleOnce: boolean;
  server: ReturnType<typeof createNetServer>;
}

async function startOrigin(): Promise<Origin> {
  const o: Origin = { port: 0, connections: 0, heads: [], staleOnce: false, server: null as never };
  o.server = createNetServer((s) => {
    o.connections++;
    let buf = "";
    let served = 0;
    s.on("error", () => {});
    s.on("data", (d: Buffer) => {
      buf += d.toString("latin1");
      for (let i = buf.indexOf("\r\n\r\n"); i >= 0; i = buf.indexOf("\r\n\r\n")) {
        const headText = buf.slice(0, i);
        buf = buf.slice(i + 4);
        o.heads.push(headText);
        const path = headText.split(" ")[1] ?? "/";
        const answer = o.staleOnce && served > 0 ? script("/stale") : script(path);
        if (o.staleOnce && served > 0) o.staleOnce = false;
        served++;
        if (typeof answer === "function") answer(s);
        else s.write(answer);
      }
    });
  });
  o.server.listen(0, "127.0.0.1");
  await once(o.server, "listening");
  o.port = (o.server.address() as AddressInfo).port;
  return o;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  raw: string[];
  body: Buffer;
}

describe("pass-through", () => {
  let origin: Origin;
  let front: Server;
  let frontPort = 0;

  beforeAll(async () => {
    origin = await startOrigin();
    front = createServer((req, res) => {
      const target = new URL(req.url ?? "/", `http://127.0.0.1:${origin.port}`);
      passThrough(req, res, target, false).catch((err: unknown) => {
        const e = toDfError(err);
        if (res.headersSent) return void res.destroy();
        res.writeHead(502, { "x-error": e.message.replace(/[^\x20-\x7e]/g, "?") }).end();
      });
    });
    front.listen(0, "127.0.0.1");
    await once(front, "listening");
    frontPort = (front.address() as AddressInfo).port;
  });
  afterAll(() => {
    front.closeAllConnections();
    front.close();
    origin.server.close();
  });

  const get = (path: string, method = "GET", body?: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = request(
        { port: frontPort, host: "127.0.0.1", path, method, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.once("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              raw: res.rawHeaders,
              body: Buffer.concat(chunks),
            }),
          );
          res.once("error", reject);
        },
      );
      req.once("error", reject);
      req.end(body);
    });

  it("streams a length-delimited body byte for byte, headers kept, hop-by-hop ones dropped", async () => {
    const r = await get("/big");
    expect(r.status).toBe(200);
    expect(r.body.equals(big)).toBe(true);
    expect(r.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(r.raw).toContain("X-Mixed-Case");
    expect(r.headers["x-hop"]).toBeUndefined();
    expect(r.headers["content-length"]).toBe(String(big.length));
    expect(r.headers["x-dragonfly-via"]).toBe("source");
  });

  it("decodes a chunked body, drops its Content-Length, and ends a close-delimited one at EOF", async () => {
    const c = await get("/chunked");
    expect(c.body.toString()).toBe("hello world");
    expect(c.headers["content-length"]).toBeUndefined();
    const e = await get("/close");
    expect(e.body.toString()).toBe("until the end");
    expect(e.headers["x-framing"]).toBe("close");
  });

  it("skips 1xx answers and sends no body for HEAD and 304", async () => {
    const c = await get("/continue");
    expect(c.status).toBe(201);
    expect(c.body.toString()).toBe("ok");
    const h = await get("/head", "HEAD");
    expect(h.headers["content-length"]).toBe("10");
    expect(h.body.length).toBe(0);
    const n = await get("/not-modified");
    expect(n.status).toBe(304);
    expect(n.headers.etag).toBe("x");
  });

  it("keeps connections alive, retries once when a kept one went stale, and forwards bodies", async () => {
    await get("/a");
    const before = origin.connections;
    await get("/b");
    await get("/c");
    expect(origin.connections).toBe(before);
    origin.staleOnce = true;
    const r = await get("/d");
    expect(r.body.toString()).toBe("ok");
    expect(origin.connections).toBe(before + 1);
    const post = await get("/e", "POST", "payload");
    expect(post.body.toString()).toBe("ok");
    expect(origin.heads.at(-1)).toMatch(/^POST \/e HTTP\/1\.1/);
  });

  it("drops the upstream exchange when the client goes away mid-body", async () => {
    await new Promise<void>((resolve, reject) => {
      const req = request({ port: frontPort, host: "127.0.0.1", path: "/big", agent: false });
      req.once("response", (res) => res.once("data", () => (req.destroy(), resolve())));
      req.once("error", reject);
      req.end();
    });
    const again = await get("/big");
    expect(again.body.equals(big)).toBe(true);
  });

  it("answers 502 for a malformed answer and cuts a response whose body ends early", async () => {
    const g = await get("/garbage");
    expect(g.status).toBe(502);
    expect(g.headers["x-error"]).toMatch(/answered badly: bad status line/);
    await expect(get("/short")).rejects.toThrow();
  });
});

describe("http1", () => {
  it("parses heads and framing as RFC 9112 says", () => {
    const h = parseHead("HTTP/1.1 200 OK\r\nA: 1\r\nContent-Length: 5\r\nContent-Length: 5");
    expect(h).toMatchObject({ minor: 1, status: 200, reason: "OK" });
    expect(framingOf("GET", h)).toEqual({ kind: "length", length: 5 });
    expect(framingOf("HEAD", h)).toEqual({ kind: "none" });
    const te = parseHead(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 5",
    );
    expect(framingOf("GET", te)).toEqual({ kind: "chunked" });
    expect(framingOf("GET", parseHead("HTTP/1.0 200 OK"))).toEqual({ kind: "close" });
    expect(() => framingOf("GET", parseHead("HTTP/1.1 200 OK\r\nContent-Length: 1, 2"))).toThrow(
      ProtocolError,
    );
    expect(() => parseHead("HTTP/1.1 200 OK\r\n folded")).toThrow(ProtocolError);
  });

  it("decodes chunks split anywhere and stops at the end of the message", () => {
    const wire = Buffer.from("3\r\nabc\r\n10;x=y\r\n0123456789abcdef\r\n0\r\nT: 1\r\n\r\nNEXT");
    for (let cut = 1; cut < wire.length; cut++) {
      const d = new ChunkedDecoder();
      const a = d.push(wire.subarray(0, cut));
      const b = d.push(wire.subarray(cut));
      const body = Buffer.concat([...a.slices, ...b.slices]).toString();
      expect(body).toBe("abc0123456789abcdef");
      expect(d.done).toBe(true);
      expect(a.used + b.used).toBe(wire.length - 4);
    }
    expect(() => new ChunkedDecoder().push(Buffer.from("zz\r\n"))).toThrow(ProtocolError);
  });
});
