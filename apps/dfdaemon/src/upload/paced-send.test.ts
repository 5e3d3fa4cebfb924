import { createServer, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { PACE_SLICE, TokenBucket } from "../limit/token-bucket";
import { sendPaced } from "./paced-send";

const BODY = 4 * PACE_SLICE;

/** Arrival is what a client saw of one answer: when its first and last bytes came, and how many. */
interface Arrival {
  first: number;
  last: number;
  bytes: number;
}

/** serve answers every request with BODY bytes through sendPaced, recording what it returned. */
async function serve(
  bucket: TokenBucket,
  results: boolean[],
): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res: ServerResponse) => {
    res.writeHead(200, { "content-length": String(BODY) });
    void sendPaced(res, Buffer.alloc(BODY, 7), bucket, true).then((r) => results.push(r));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port };
}

/** fetchTimed downloads from the server; `onFirst` runs when the first bytes arrive. */
function fetchTimed(port: number, onFirst: () => void = () => undefined): Promise<Arrival> {
  return new Promise((resolve, reject) => {
    const seen: Arrival = { first: 0, last: 0, bytes: 0 };
    const req = request({ host: "127.0.0.1", port, path: "/" }, (res) => {
      res.on("data", (c: Buffer) => {
        if (seen.bytes === 0) {
          seen.first = performance.now();
          onFirst();
        }
        seen.bytes += c.length;
        seen.last = performance.now();
      });
      res.on("end", () => resolve(seen));
    });
    req.on("error", reject);
    req.end();
  });
}

let open: Server | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

describe("sendPaced", () => {
  it("sends an answer's first bytes at once and the rest at the limit, answers in turn", async () => {
    // 64 KiB of burst, then 640 KiB/s: each 256 KiB answer takes about 400 ms of allowance.
    const bucket = new TokenBucket(10 * PACE_SLICE, undefined, 0.1);
    const results: boolean[] = [];
    const { server, port } = await serve(bucket, results);
    open = server;
    const started = performance.now();
    let second: Promise<Arrival> | undefined;
    const first = await fetchTimed(port, () => (second = fetchTimed(port)));
    const later = await second;
    expect(first.bytes).toBe(BODY);
    expect(later?.bytes).toBe(BODY);
    // The first answer's head slice came with the burst, long before its last slice.
    expect(first.first - started).toBeLessThan(first.last - started - 200);
    expect(first.last - started).toBeGreaterThanOrEqual(290);
    // The second answer, asked for while the first was going out, started only after it.
    expect(later?.first ?? 0).toBeGreaterThanOrEqual(first.last - 5);
    expect((later?.last ?? 0) - started).toBeGreaterThanOrEqual(690);
    await new Promise((r) => setTimeout(r, 20));
    expect(results).toEqual([true, true]);
  });

  it("reports an answer the client left before its end", async () => {
    const bucket = new TokenBucket(10 * PACE_SLICE, undefined, 0.1);
    const results: boolean[] = [];
    const { server, port } = await serve(bucket, results);
    open = server;
    await new Promise<void>((resolve) => {
      const req = request({ host: "127.0.0.1", port, path: "/" }, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", () => undefined);
      req.end();
    });
    const deadline = Date.now() + 2_000;
    while (results.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(results).toEqual([false]);
  });
});
