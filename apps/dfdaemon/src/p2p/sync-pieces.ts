import type * as grpc from "@grpc/grpc-js";

import { notFound } from "@df/errors";
import type { SyncPiecesRequest, SyncPiecesResponse } from "@df/proto/dfdaemon/v2";
import { toGrpcError } from "@df/proto/status";

import type { Storage } from "../storage/storage";
import type { PieceMeta } from "../storage/types";

/**
 * handleSyncPieces streams the metadata of a task's finished pieces to a child: all it has now,
 * then each new one as it finishes, and ends once the task is complete. Piece bytes travel over
 * the piece server; this stream carries only numbers, offsets, lengths and digests.
 */
export function handleSyncPieces(
  storage: Storage,
  self: { ip: string; downloadPort: number },
): grpc.handleServerStreamingCall<SyncPiecesRequest, SyncPiecesResponse> {
  return (call) => {
    const task = storage.get(call.request.taskId);
    if (!task) {
      call.emit("error", toGrpcError(notFound("task", call.request.taskId)));
      return;
    }
    const send = (p: PieceMeta) =>
      call.write({
        number: p.number,
        offset: p.offset,
        length: p.length,
        digest: p.digest,
        ip: self.ip,
        downloadPort: self.downloadPort,
        contentLength: task.meta.contentLength,
        pieceLength: task.meta.pieceLength,
      });
    task.touch();
    if (task.pieces.size === 0) {
      // An empty first message tells the child the task's lengths before any piece is ready.
      call.write({
        number: 0,
        offset: 0,
        length: 0,
        digest: "",
        ip: self.ip,
        downloadPort: self.downloadPort,
        contentLength: task.meta.contentLength,
        pieceLength: task.meta.pieceLength,
      });
    }
    for (const p of task.pieces.values()) send(p);
    if (task.isFinished) {
      call.end();
      return;
    }
    const off = task.onPiece((p) => {
      send(p);
      if (task.isFinished) {
        off();
        call.end();
      }
    });
    call.on("cancelled", off);
    call.on("close", off);
  };
}
