import type { ServerResponse } from "node:http";

import type { TokenBucket } from "../limit/token-bucket";
import type { InflightPiece } from "../task/inflight-piece";
import { sendPaced } from "./paced-send";

/**
 * forwardInflight answers a child with a piece this peer is still receiving: the head (with the
 * digest the piece must have) once that digest is known, then its bytes as they arrive, paced by
 * the host upload limit (paced-send.ts). The last byte goes only once this peer has verified the
 * piece; if the piece fails here after the head was sent, the answer is cut short (the child
 * sees a dropped connection and asks again). Resolves false, having sent nothing, if the piece failed
 * before its digest was known or was retired meanwhile (the caller may wait again); true
 * otherwise.
 */
export async function forwardInflight(
  res: ServerResponse,
  piece: InflightPiece,
  headers: (digest: string) => Record<string, string>,
  upload: TokenBucket,
): Promise<boolean> {
  if (!piece.hold()) return false;
  // The bytes may be reused once every byte of the answer left through the socket.
  let clean = false;
  try {
    while (!piece.digest && !piece.failed) await piece.changed();
    if (!piece.digest) {
      clean = true;
      return false;
    }
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
      sent += bytes.length;
      clean = await sendPaced(res, bytes, upload, sent === length);
    }
    return true;
  } finally {
    piece.release(clean);
  }
}
