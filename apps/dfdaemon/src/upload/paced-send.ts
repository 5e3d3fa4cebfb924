import type { ServerResponse } from "node:http";

import { PACE_SLICE, type TokenBucket } from "../limit/token-bucket";

/** waitWritable resolves when the response can take more bytes, or is closed. */
function waitWritable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/**
 * sendPaced writes `bytes` to the answer under the upload limit: reserved whole, so answers go
 * out one after another in the order they asked, and written in slices of PACE_SLICE as they come
 * due, so the first bytes leave at once. With `end`, the last slice ends the answer and sendPaced
 * resolves when the answer is closed: true if every byte was handed to the socket (the caller
 * may then reuse `bytes`), false if the child went away first. Without `end`, it resolves once
 * the slices are written, false if the answer was closed meanwhile.
 */
export async function sendPaced(
  res: ServerResponse,
  bytes: Buffer,
  upload: TokenBucket,
  end: boolean,
): Promise<boolean> {
  const wait = upload.reserve(bytes.length);
  // Unlimited, the bytes go in one write, as before pacing.
  const slice = upload.currentRate > 0 ? PACE_SLICE : bytes.length;
  let at = 0;
  for (;;) {
    const to = Math.min(bytes.length, at + slice);
    const ms = wait(to);
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    if (res.destroyed) return false;
    const part = bytes.subarray(at, to);
    at = to;
    if (at < bytes.length || !end) {
      if (!res.write(part)) await waitWritable(res);
      if (at >= bytes.length) return !res.destroyed;
      continue;
    }
    return new Promise<boolean>((resolve) => {
      let flushed = false;
      res.once("error", () => resolve(false));
      res.once("close", () => resolve(flushed));
      res.end(part, () => (flushed = true));
    });
  }
}
