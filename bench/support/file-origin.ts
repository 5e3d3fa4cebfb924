import { createReadStream, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { throttle, TokenBucket } from "../../apps/dfdaemon/src/limit/token-bucket";

/** ORIGIN_BURST_SECONDS is the burst of the origin's pace, a tenth of a second's worth. */
const ORIGIN_BURST_SECONDS = 0.1;

/** FileOrigin serves one file with Range support, streamed from disk, and counts bytes served. */
export interface FileOrigin {
  url: string;
  bytesServed(): number;
  close(): Promise<void>;
}

/** startFileOrigin serves `path` at `/file` on 127.0.0.1, optionally paced to `bytesPerSecond`. */
export async function startFileOrigin(path: string, bytesPerSecond = 0): Promise<FileOrigin> {
  const size = statSync(path).size;
  let served = 0;
  // One bucket for every connection: the origin's total upload is limited, as a real origin's
  // link. A strict one: the daemon's second of burst would let the origin serve the file faster
  // than F/U, the lower bound the swarm benchmark compares with.
  const bucket = new TokenBucket(bytesPerSecond, undefined, ORIGIN_BURST_SECONDS);
  const server: Server = createServer((req, res) => {
    if (req.url !== "/file") return void res.writeHead(404).end();
    const m = /^bytes=(\d+)-(\d+)?$/.exec(req.headers.range ?? "");
    const start = m ? Number(m[1]) : 0;
    const end = m?.[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    res.writeHead(m ? 206 : 200, {
      "content-length": String(end - start + 1),
      ...(m ? { "content-range": `bytes ${start}-${end}/${size}` } : {}),
    });
    const body = createReadStream(path, { start, end, highWaterMark: 1 << 20 });
    body.on("data", (c) => (served += c.length));
    body.pipe(throttle([bucket])).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/file`,
    bytesServed: () => served,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
