import * as grpc from "@grpc/grpc-js";

import { DfError, ErrorCode } from "@df/errors";
import type { Download } from "@df/proto/common/v2";
import {
  DfdaemonUploadClient,
  DownloadState,
  type DownloadTaskResponse,
} from "@df/proto/dfdaemon/v2";
import { fromGrpcError } from "@df/proto/status";

/** UploadClients keeps one DfdaemonUpload client per host address. */
export class UploadClients {
  private readonly clients = new Map<string, DfdaemonUploadClient>();

  /** get returns the client of `ip:port`. */
  get(ip: string, port: number): DfdaemonUploadClient {
    const addr = `${ip}:${port}`;
    let c = this.clients.get(addr);
    if (!c)
      this.clients.set(
        addr,
        (c = new DfdaemonUploadClient(addr, grpc.credentials.createInsecure())),
      );
    return c;
  }

  /** close closes every client. */
  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}

/** Progress is a download's counters as the host streams them. */
export interface Progress {
  taskId: string;
  finishedBytes: number;
  contentLength: number | undefined;
}

/**
 * downloadOn asks a host to download with DfdaemonUpload.DownloadTask and resolves when the host
 * reports SUCCEEDED; it rejects with the host's reason, or a timeout when `signal` aborts first.
 */
export function downloadOn(
  client: DfdaemonUploadClient,
  download: Download,
  signal: AbortSignal,
  onProgress: (p: Progress) => void,
): Promise<Progress> {
  return new Promise((resolve, reject) => {
    if (signal.aborted)
      return reject(new DfError(ErrorCode.Timeout, "job timed out before the download started"));
    const call = client.downloadTask({ download });
    const cancel = () => call.cancel();
    signal.addEventListener("abort", cancel, { once: true });
    const progress: Progress = { taskId: "", finishedBytes: 0, contentLength: undefined };
    let succeeded = false;
    const settle = (err?: Error) => {
      signal.removeEventListener("abort", cancel);
      if (err) reject(err);
      else resolve(progress);
    };
    call.on("data", (r: DownloadTaskResponse) => {
      progress.taskId = r.taskId || progress.taskId;
      progress.finishedBytes = r.finishedBytes;
      progress.contentLength = r.contentLength ?? progress.contentLength;
      if (r.state === DownloadState.DOWNLOAD_STATE_SUCCEEDED) succeeded = true;
      onProgress({ ...progress });
    });
    call.on("error", (err: Error) =>
      settle(signal.aborted ? new DfError(ErrorCode.Timeout, "job timed out") : fromGrpcError(err)),
    );
    call.on("end", () =>
      settle(succeeded ? undefined : new Error("the host ended the download without finishing it")),
    );
  });
}
