import type { ServerResponse } from "node:http";

import type { TokenBucket } from "../limit/token-bucket";
import type { InflightPiece } from "../task/inflight-piece";

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
 * forwardInflight answers a child with a piece this peer is still receiving: the head (with the
 * digest the piece must have) once that digest is known, then its bytes as they arrive, each
 * under the host upload limit. The last byte goes only once this peer has verified the piece; if
 * the piece fails here after the head was sent, the answer is cut short (the child sees a
 * dropped connection and asks again). Resolves false, having sent nothing, if the piece failed
 * before its digest was known (the caller may wait for another attempt); true otherwise.
 */
export async function forwardInflight(
  res: ServerResponse,
  piece: InflightPiece,
  headers: (digest: string) => Record<string, string>,
  upload: TokenBucket,
): Promise<boolean> {
  while (!piece.digest && !piece.failed) await piece.changed();
  if (!piece.digest) return false;
  res.writeHead(200, headers(piece.digest));
  const length = piece.span.length;
  let sent = 0;
  while (sent < length && !res.destroyed) {
    if (piece.failed) {
      res.destroy();
      return true;
    }
    const bytes = piece.sendable(sent);
    if (bytes.length === 0) {
      await piece.changed();
      continue;
    }
    await upload.acquire(bytes.length);
    sent += bytes.length;
    if (sent === length) {
      await new Promise<void>((resolve) => {
        res.once("close", resolve);
        res.end(bytes);
      });
      return true;
    }
    if (!res.write(bytes)) await waitWritable(res);
  }
  return true;
}
