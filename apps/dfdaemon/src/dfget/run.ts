import { existsSync } from "node:fs";

import * as grpc from "@grpc/grpc-js";

import { DfError, ErrorCode, isDfError } from "@df/errors";
import { TaskType } from "@df/proto/common/v2";
import {
  DfdaemonDownloadClient,
  DownloadState,
  type DownloadTaskResponse,
} from "@df/proto/dfdaemon/v2";
import { ERROR_CODE_KEY, fromGrpcError } from "@df/proto/status";

import type { DfgetOptions } from "./args";
import { formatBytes, formatDuration, ProgressBar } from "./progress";

/** EXIT codes: 0 verified success, 1 download failure, 2 bad arguments. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** unreachable is the error for a daemon that cannot be reached, naming its socket. */
function unreachable(endpoint: string, why: string): DfError {
  return new DfError(
    ErrorCode.Unavailable,
    `cannot reach dfdaemon at ${endpoint} (${why}); is it running? set --endpoint`,
  );
}

/** describe turns a stream error into dfget's one-line reason. */
function describe(err: unknown, opts: DfgetOptions): DfError {
  const grpcErr = err as grpc.ServiceError;
  const fromDaemon = grpcErr?.metadata?.get?.(ERROR_CODE_KEY)?.length > 0;
  if (grpcErr?.code === grpc.status.UNAVAILABLE && !fromDaemon)
    return unreachable(opts.endpoint, grpcErr.details);
  if (grpcErr?.code === grpc.status.DEADLINE_EXCEEDED && !fromDaemon) {
    return new DfError(
      ErrorCode.Timeout,
      `timed out after ${formatDuration(opts.timeoutMs / 1000)}`,
    );
  }
  return isDfError(err) ? err : fromGrpcError(err);
}

/** runDfget downloads through the daemon and returns the exit code, printing one line on failure. */
export async function runDfget(
  opts: DfgetOptions,
  out: NodeJS.WriteStream = process.stderr,
): Promise<number> {
  if (!existsSync(opts.endpoint)) {
    out.write(`dfget: ${unreachable(opts.endpoint, "no such socket").message}\n`);
    return EXIT.failed;
  }
  const client = new DfdaemonDownloadClient(
    `unix:${opts.endpoint}`,
    grpc.credentials.createInsecure(),
  );
  const bar = opts.progress && out.isTTY ? new ProgressBar(out) : undefined;
  const started = Date.now();
  try {
    const last = await new Promise<DownloadTaskResponse | undefined>((resolve, reject) => {
      const call = client.downloadTask(
        {
          download: {
            url: opts.url,
            digest: opts.digest,
            range: opts.range,
            type: TaskType.STANDARD,
            tag: opts.tag,
            application: opts.application,
            priority: opts.priority,
            filteredQueryParams: opts.filteredQueryParams,
            requestHeader: opts.headers,
            pieceLength: opts.pieceLength,
            outputPath: opts.output,
            timeoutMs: opts.timeoutMs,
            disableBackToSource: opts.disableBackToSource,
            needBackToSource: false,
            isPrefetch: false,
            prefetch: false,
            forceHardLink: false,
            overwrite: opts.overwrite,
          },
        },
        { deadline: Date.now() + opts.timeoutMs + 5_000 },
      );
      let final: DownloadTaskResponse | undefined;
      call.on("data", (msg: DownloadTaskResponse) => {
        if (msg.state === DownloadState.DOWNLOAD_STATE_SUCCEEDED) final = msg;
        bar?.update(
          msg.finishedBytes,
          msg.contentLength ?? 0,
          msg.state !== DownloadState.DOWNLOAD_STATE_RUNNING,
        );
      });
      call.on("error", reject);
      call.on("end", () => resolve(final));
    });
    bar?.finish();
    if (!last)
      throw new DfError(ErrorCode.Internal, "the daemon ended the download without finishing it");
    if (opts.progress) {
      const secs = (Date.now() - started) / 1000;
      out.write(
        `dfget: ${formatBytes(last.finishedBytes)} in ${secs.toFixed(1)} s → ${opts.output}\n`,
      );
    }
    return EXIT.ok;
  } catch (err) {
    bar?.finish();
    out.write(`dfget: ${describe(err, opts).message}\n`);
    return EXIT.failed;
  } finally {
    client.close();
  }
}
