import type * as grpc from "@grpc/grpc-js";

import { DfError, ErrorCode, invalidArgument } from "@df/errors";
import { TaskType, TrafficType } from "@df/proto/common/v2";
import {
  DownloadState,
  type DownloadTaskRequest,
  type DownloadTaskResponse,
} from "@df/proto/dfdaemon/v2";
import { toGrpcError } from "@df/proto/status";

import type { DownloadRequest, PieceSource, TaskDownloader } from "../download/task-download";
import { checkPieceLength } from "../task/pieces";

const TRAFFIC: Record<PieceSource, TrafficType> = {
  local: TrafficType.LOCAL_PEER,
  parent: TrafficType.REMOTE_PEER,
  source: TrafficType.BACK_TO_SOURCE,
};

/** toDownloadRequest validates the protobuf request and turns it into the downloader's input. */
export function toDownloadRequest(req: DownloadTaskRequest, signal: AbortSignal): DownloadRequest {
  const d = req.download;
  if (!d) throw invalidArgument("download", "is required");
  let url: URL;
  try {
    url = new URL(d.url);
  } catch {
    throw invalidArgument("url", `${JSON.stringify(d.url)} is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw invalidArgument("url", `scheme ${url.protocol} is not supported (http, https)`);
  if (d.type !== TaskType.STANDARD)
    throw invalidArgument("type", "only standard tasks are supported");
  // Checked here, before any scheduler or parent hears of the task.
  if (d.pieceLength) checkPieceLength(d.pieceLength);
  return {
    url: d.url,
    headers: d.requestHeader,
    tag: d.tag ?? "",
    application: d.application ?? "",
    filteredQueryParams: d.filteredQueryParams,
    pieceLength: d.pieceLength || undefined,
    range:
      d.range && d.range.length > 0 ? { start: d.range.start, length: d.range.length } : undefined,
    digest: d.digest || undefined,
    outputPath: d.outputPath || undefined,
    overwrite: d.overwrite,
    disableBackToSource: d.disableBackToSource,
    needBackToSource: d.needBackToSource,
    signal,
  };
}

/**
 * handleDownloadTask serves DownloadTask: a STARTED message, one RUNNING message per piece, and
 * a SUCCEEDED summary; any failure ends the stream with the mapped gRPC status.
 */
export function handleDownloadTask(
  downloader: TaskDownloader,
  identity: { hostId: string; peerId: () => string },
) {
  return (call: grpc.ServerWritableStream<DownloadTaskRequest, DownloadTaskResponse>): void => {
    const abort = new AbortController();
    let done = false;
    call.on("cancelled", () => !done && abort.abort());
    const timeoutMs = call.request.download?.timeoutMs;
    const timer = timeoutMs ? setTimeout(() => abort.abort(), timeoutMs) : undefined;
    const peerId = identity.peerId();
    let taskId = "";
    let contentLength: number | undefined;
    const base = () => ({ hostId: identity.hostId, taskId, peerId, contentLength });
    const started = Date.now();
    const run = async () => {
      const req = toDownloadRequest(call.request, abort.signal);
      const result = await downloader.download(req, {
        started: (info) => {
          taskId = info.taskId;
          contentLength = req.range?.length ?? info.contentLength;
          call.write({
            ...base(),
            state: DownloadState.DOWNLOAD_STATE_STARTED,
            finishedBytes: 0,
            finishedPieceCount: 0,
            event: {
              $case: "started",
              value: {
                pieceLength: info.pieceLength,
                pieceCount: info.pieceCount,
                range: req.range,
                responseHeader: info.responseHeader,
                isFinished: info.isFinished,
              },
            },
          });
        },
        piece: (p, from, progress) => {
          call.write({
            ...base(),
            state: DownloadState.DOWNLOAD_STATE_RUNNING,
            finishedBytes: progress.bytes,
            finishedPieceCount: progress.pieces,
            event: {
              $case: "piece",
              value: {
                ...p,
                parentId: p.parentId,
                trafficType: TRAFFIC[from],
                costMs: 0,
                createdAt: new Date(p.finishedAt),
              },
            },
          });
        },
      });
      call.write({
        ...base(),
        state: DownloadState.DOWNLOAD_STATE_SUCCEEDED,
        finishedBytes: result.requestedBytes,
        finishedPieceCount: 0,
        event: {
          $case: "finished",
          value: {
            outputPath: req.outputPath ?? "",
            digest: result.digest ?? "",
            costMs: Date.now() - started,
            backToSourceBytes: result.bytesBySource.source,
            remotePeerBytes: result.bytesBySource.parent,
            localPeerBytes: result.bytesBySource.local,
          },
        },
      });
    };
    run()
      .then(
        () => {
          done = true;
          call.end();
        },
        (err: unknown) => {
          done = true;
          const e =
            abort.signal.aborted && !call.cancelled
              ? new DfError(ErrorCode.Timeout, `download timed out after ${timeoutMs} ms`)
              : err;
          call.emit("error", toGrpcError(e));
        },
      )
      .finally(() => clearTimeout(timer));
  };
}
