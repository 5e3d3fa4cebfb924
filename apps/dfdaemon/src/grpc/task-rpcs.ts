import type * as grpc from "@grpc/grpc-js";

import { SizeScope, TaskType, type Task } from "@df/proto/common/v2";
import type { DeleteTaskRequest, StatTaskRequest } from "@df/proto/dfdaemon/v2";
import { toGrpcError } from "@df/proto/status";

import type { Storage } from "../storage/storage";
import type { StoredTask } from "../storage/stored-task";

/** toTaskProto renders a stored task for StatTask. */
export function toTaskProto(t: StoredTask): Task {
  return {
    id: t.meta.id,
    type: TaskType.STANDARD,
    url: t.meta.url,
    tag: t.meta.tag,
    application: t.meta.application,
    filteredQueryParams: t.meta.filteredQueryParams,
    requestHeader: {},
    pieceLength: t.meta.pieceLength,
    contentLength: t.meta.contentLength,
    pieceCount: t.pieceCount,
    sizeScope: t.meta.contentLength === 0 ? SizeScope.EMPTY : SizeScope.NORMAL,
    state: t.isFinished ? "Succeeded" : t.active > 0 ? "Running" : "Pending",
    peerCount: 1,
    hasAvailablePeer: t.isFinished,
    createdAt: new Date(t.meta.createdAt),
    updatedAt: new Date(t.meta.accessedAt),
  };
}

/** handleStatTask answers StatTask from local storage. */
export function handleStatTask(storage: Storage): grpc.handleUnaryCall<StatTaskRequest, Task> {
  return (call, callback) => {
    try {
      callback(null, toTaskProto(storage.require(call.request.taskId)));
    } catch (err) {
      callback(toGrpcError(err));
    }
  };
}

/** handleDeleteTask removes a task that is not being downloaded or uploaded. */
export function handleDeleteTask(
  storage: Storage,
): grpc.handleUnaryCall<DeleteTaskRequest, object> {
  return (call, callback) => {
    storage.deleteTask(call.request.taskId).then(
      () => callback(null, {}),
      (err: unknown) => callback(toGrpcError(err)),
    );
  };
}
