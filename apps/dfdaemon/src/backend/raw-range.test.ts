import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { isDfError } from "@df/errors";

import { NotPlainRange, readRangeRaw, type RangeSink } from "./raw-range";

const data = randomBytes(3 << 20);

/** serve starts an origin whose handler gets the parsed range; it counts TCP connections. */
async function serve(
  handler: (req: IncomingMessage, res: ServerResponse, start: number, end: number) => void,
) {
  let connections = 0;
  const server: Server = createServer((req, res) => {
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
    handler(req, res, Number(m?.[1]), Number(m?.[2]));
  });
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/blob?x=1`,
    connections: () => connections,
    server,
  };
}

const plain = (_req: IncomingMessage, res: ServerResponse, start: number, end: number) => {
  res.writeHead(206, {
    "content-length": String(end - start + 1),
    "content-range": `bytes ${start}-${end}/${data.length}`,
  });
  res.end(data.subarray(start, end + 1));
};

/** collect is a sink that keeps the bytes, pausing the reader now and then. */
function collect(): RangeSink & { bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  let n = 0;
  const sink = {
    onDrain: () => undefined,
    write(chunk: Buffer) {
      chunks.push(Buffer.from(chunk));
      if (++n % 2 === 0) setImmediate(() => sink.onDrain());
      return n % 2 !== 0;
    },
    bytes: () => Buffer.concat(chunks),
  };
  return sink;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe("readRangeRaw", () => {
  it("reads exactly the range, and the next range over the same kept-alive connection", async () => {
    const o = await serve(plain);
    const a = collect();
    await readRangeRaw({ url: o.url, headers: {} }, 5, (2 << 20) + 7, data.length, a);
    expect(a.bytes().equals(data.subarray(5, 5 + (2 << 20) + 7))).toBe(true);
    const b = collect();
    await readRangeRaw({ url: o.url, headers: {} }, 1 << 20, 1 << 20, data.length, b);
    expect(b.bytes().equals(data.subarray(1 << 20, 2 << 20))).toBe(true);
    expect(o.connections()).toBe(1);
  });

  it("sends the caller's headers and the path with its query", async () => {
    let seen: IncomingMessage | undefined;
    const o = await serve((req, res, s, e) => {
      seen = req;
      plain(req, res, s, e);
    });
    await readRangeRaw(
      { url: o.url, headers: { authorization: "Bearer t" } },
      0,
      10,
      data.length,
      collect(),
    );
    expect(seen?.url).toBe("/blob?x=1");
    expect(seen?.headers.authorization).toBe("Bearer t");
    expect(seen?.headers.range).toBe("bytes=0-9");
  });

  it("opens a new connection when the origin closed the kept-alive one", async () => {
    const o = await serve(plain);
    await readRangeRaw({ url: o.url, headers: {} }, 0, 100, data.length, collect());
    o.server.closeIdleConnections();
    await new Promise((r) => setTimeout(r, 50));
    const b = collect();
    await readRangeRaw({ url: o.url, headers: {} }, 100, 100, data.length, b);
    expect(b.bytes().equals(data.subarray(100, 200))).toBe(true);
    expect(o.connections()).toBe(2);
  });

  it.each([
    [
      "a redirect",
      (_q: IncomingMessage, res: ServerResponse) => res.writeHead(302, { location: "/x" }).end(),
    ],
    ["an error status", (_q: IncomingMessage, res: ServerResponse) => res.writeHead(500).end()],
    [
      "a chunked body",
      (_q: IncomingMessage, res: ServerResponse, s: number, e: number) => {
        res.writeHead(206, { "content-range": `bytes ${s}-${e}/${data.length}` });
        res.write(data.subarray(s, e + 1));
        res.end();
      },
    ],
  ])("leaves %s to node:http, before any byte reaches the sink", async (_name, handler) => {
    const o = await serve(handler);
    const sink = collect();
    const err = await readRangeRaw({ url: o.url, headers: {} }, 0, 100, data.length, sink).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NotPlainRange);
    expect((err as NotPlainRange).sticky).toBe(true);
    expect(sink.bytes().length).toBe(0);
  });

  it("fails retryably when the connection drops mid-body", async () => {
    const o = await serve((_req, res, s, e) => {
      res.writeHead(206, {
        "content-length": String(e - s + 1),
        "content-range": `bytes ${s}-${e}/${data.length}`,
      });
      res.write(data.subarray(s, s + 1000), () => res.socket?.destroy());
    });
    const err = await readRangeRaw(
      { url: o.url, headers: {} },
      0,
      1 << 20,
      data.length,
      collect(),
    ).catch((e: unknown) => e);
    expect(isDfError(err) && err.details.retryable).toBe(true);
  });

  it("stops at once when the signal aborts", async () => {
    const o = await serve(() => undefined);
    const abort = new AbortController();
    const p = readRangeRaw(
      { url: o.url, headers: {}, signal: abort.signal },
      0,
      100,
      data.length,
      collect(),
    );
    setTimeout(() => abort.abort(), 50);
    const err = await p.catch((e: unknown) => e);
    expect(isDfError(err) && err.code).toBe("DF_ERR_TIMEOUT");
  });
});
