import type * as grpc from "@grpc/grpc-js";

import { DfError, ErrorCode, notFound } from "@df/errors";
import type { SyncPiecesRequest, SyncPiecesResponse } from "@df/proto/dfdaemon/v2";
import { toGrpcError } from "@df/proto/status";

import type { Storage } from "../storage/storage";
import type { StoredTask } from "../storage/stored-task";
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
    let cancelled = false;
    call.on("cancelled", () => (cancelled = true));
    const id = call.request.taskId;
    void waitForTask(storage, id, () => cancelled).then((task) => {
      if (cancelled) return;
      if (task) streamPieces(call, task, self);
      else
        call.emit(
          "error",
          toGrpcError(storage.wasDeleted(id) ? deletedHere(id) : notFound("task", id)),
        );
    });
  };
}

/**
 * deletedHere is the error for a task this peer deleted (API, GC, a failed digest): not NOT_FOUND,
 * which a child retries for a while, expecting a parent that has not started the task yet.
 */
function deletedHere(taskId: string): DfError {
  return new DfError(ErrorCode.Unavailable, `task ${taskId} was deleted on this peer`);
}

/** TASK_WAIT_MS is how long a sync waits for a task this peer has been told to download. */
const TASK_WAIT_MS = 2_000;
/** TASK_POLL_MS is how often the wait looks for the task. */
const TASK_POLL_MS = 20;

/**
 * waitForTask returns the task, waiting a little for it to appear: a child is often scheduled
 * onto a parent that registered a moment earlier and is still learning the task's size, and
 * answering "not found" would cost the child a retry round trip per hop of the swarm.
 */
async function waitForTask(
  storage: Storage,
  id: string,
  cancelled: () => boolean,
): Promise<StoredTask | undefined> {
  const until = Date.now() + TASK_WAIT_MS;
  for (;;) {
    const task = storage.get(id);
    if (task || cancelled() || Date.now() >= until || storage.wasDeleted(id)) return task;
    await new Promise((r) => setTimeout(r, TASK_POLL_MS));
  }
}

function streamPieces(
  call: grpc.ServerWritableStream<SyncPiecesRequest, SyncPiecesResponse>,
  task: StoredTask,
  self: { ip: string; downloadPort: number },
): void {
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
      offDeleted();
      off();
      call.end();
    }
  });
  // A task deleted here (API, GC, a failed digest) ends the stream with an error, so the child
  // drops this parent at once instead of waiting for pieces that will not come.
  const offDeleted = task.onDeleted(() => {
    off();
    call.emit("error", toGrpcError(deletedHere(task.meta.id)));
  });
  const stop = () => {
    off();
    offDeleted();
  };
  call.on("cancelled", stop);
  call.on("close", stop);
}
