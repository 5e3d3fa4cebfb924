import { DfError, ErrorCode } from "@df/errors";
import type { Logger } from "@df/logger";

import { probe, type SourceRequest } from "../backend/http-source";
import type { HostLimiters } from "../limit/host-limiters";
import type { Storage } from "../storage/storage";
import type { StoredTask } from "../storage/stored-task";
import type { PieceMeta } from "../storage/types";
import { parseDigest } from "../task/digest";
import {
  choosePieceLength,
  interestedPieces,
  type ByteRange,
  type PieceSpan,
} from "../task/pieces";
import { DEFAULT_FILTERED_QUERY_PARAMS, taskId } from "../task/task-id";
import { checkOutputPath, deliverOutput } from "./output";
import { fetchPieceFromSource } from "./source-fetcher";

/** DownloadRequest is one caller's request: dfget, the proxy or a scheduler trigger. */
export interface DownloadRequest {
  url: string;
  headers: Record<string, string>;
  tag: string;
  application: string;
  filteredQueryParams?: string[] | undefined;
  pieceLength?: number | undefined;
  range?: ByteRange | undefined;
  digest?: string | undefined;
  outputPath?: string | undefined;
  overwrite?: boolean;
  disableBackToSource: boolean;
  signal?: AbortSignal | undefined;
}

/** PieceSource says where a piece came from, for progress and traffic accounting. */
export type PieceSource = "local" | "source" | "parent";

/** DownloadEvents receive progress as it happens. */
export interface DownloadEvents {
  started?(info: {
    taskId: string;
    contentLength: number;
    pieceLength: number;
    pieceCount: number;
    isFinished: boolean;
    responseHeader: Record<string, string>;
  }): void;
  piece?(piece: PieceMeta, from: PieceSource, progress: { bytes: number; pieces: number }): void;
}

/** DownloadResult summarises a finished download. */
export interface DownloadResult {
  taskId: string;
  contentLength: number;
  requestedBytes: number;
  digest?: string | undefined;
  bytesBySource: Record<PieceSource, number>;
  task: StoredTask;
}

/** TaskDownloaderDeps are the host-wide resources every download shares. */
export interface TaskDownloaderDeps {
  storage: Storage;
  limiters: HostLimiters;
  log: Logger;
  /** pieceConcurrency is read per download so a pushed config applies at once. */
  pieceConcurrency: () => number;
}

/**
 * TaskDownloader runs downloads. Pieces already stored are served locally; a piece another
 * request of this daemon is fetching is awaited, not fetched twice; the rest come from the
 * source (P2P parents are added by the scheduler integration), `pieceConcurrency` at a time.
 */
export class TaskDownloader {
  private readonly inflight = new Map<string, Map<number, Promise<PieceMeta>>>();

  constructor(private readonly deps: TaskDownloaderDeps) {}

  /** download fetches the request's pieces and delivers the output, reporting progress. */
  async download(req: DownloadRequest, events: DownloadEvents = {}): Promise<DownloadResult> {
    if (req.digest) parseDigest(req.digest);
    if (req.outputPath) await checkOutputPath(req.outputPath, req.overwrite ?? false);
    const filtered = req.filteredQueryParams?.length
      ? req.filteredQueryParams
      : [...DEFAULT_FILTERED_QUERY_PARAMS];
    const id = taskId({
      url: req.url,
      tag: req.tag,
      application: req.application,
      pieceLength: req.pieceLength,
      filteredQueryParams: filtered,
    });
    const source: SourceRequest = { url: req.url, headers: req.headers, signal: req.signal };
    const task = await this.prepare(id, req, source, filtered);
    task.active++;
    try {
      task.touch();
      const pieces = interestedPieces(task.meta.contentLength, task.meta.pieceLength, req.range);
      events.started?.({
        taskId: id,
        contentLength: task.meta.contentLength,
        pieceLength: task.meta.pieceLength,
        pieceCount: task.pieceCount,
        isFinished: task.isFinished,
        responseHeader: task.meta.responseHeader,
      });
      const bytesBySource = await this.fetchPieces(task, pieces, req, source, events);
      if (task.isFinished && !task.meta.finishedAt) await task.markFinished();
      else await task.flush();
      await task.persistAccess();
      const digest = req.outputPath
        ? await deliverOutput(task.contentPath, req.outputPath, {
            range: req.range,
            digest: req.digest,
          })
        : undefined;
      const requestedBytes = req.range?.length ?? task.meta.contentLength;
      return {
        taskId: id,
        contentLength: task.meta.contentLength,
        requestedBytes,
        digest,
        bytesBySource,
        task,
      };
    } finally {
      task.active--;
    }
  }

  /** prepare reuses stored metadata (no source contact) or probes the source for the length. */
  private async prepare(
    id: string,
    req: DownloadRequest,
    source: SourceRequest,
    filtered: string[],
  ): Promise<StoredTask> {
    const stored = this.deps.storage.get(id);
    if (stored) return stored;
    if (req.disableBackToSource) {
      throw new DfError(
        ErrorCode.Unavailable,
        "no peer has this task and back-to-source is disabled",
        { taskId: id },
      );
    }
    const found = await probe(source);
    const now = Date.now();
    return this.deps.storage.downloadTaskStarted({
      id,
      url: req.url,
      tag: req.tag,
      application: req.application,
      filteredQueryParams: filtered,
      pieceLength: choosePieceLength(found.contentLength, req.pieceLength),
      contentLength: found.contentLength,
      responseHeader: found.headers,
      createdAt: now,
      accessedAt: now,
    });
  }

  private async fetchPieces(
    task: StoredTask,
    pieces: PieceSpan[],
    req: DownloadRequest,
    source: SourceRequest,
    events: DownloadEvents,
  ): Promise<Record<PieceSource, number>> {
    const bySource: Record<PieceSource, number> = { local: 0, source: 0, parent: 0 };
    const progress = { bytes: 0, pieces: 0 };
    const report = (p: PieceMeta, from: PieceSource) => {
      bySource[from] += p.length;
      progress.bytes += p.length;
      progress.pieces++;
      events.piece?.(p, from, progress);
    };
    const missing: PieceSpan[] = [];
    for (const span of pieces) {
      const local = task.pieces.get(span.number);
      if (local) report(local, "local");
      else missing.push(span);
    }
    if (missing.length > 0 && req.disableBackToSource) {
      throw new DfError(
        ErrorCode.Unavailable,
        `${missing.length} pieces are missing and back-to-source is disabled`,
      );
    }
    let next = 0;
    const worker = async () => {
      while (next < missing.length) {
        if (req.signal?.aborted)
          throw new DfError(ErrorCode.Timeout, "download cancelled or timed out");
        const span = missing[next++];
        if (!span) break;
        const { piece, fetched } = await this.claim(task, span, () =>
          fetchPieceFromSource(task, span, source, this.deps.limiters),
        );
        report(piece, fetched ? "source" : "local");
      }
    };
    const n = Math.max(1, Math.min(this.deps.pieceConcurrency(), missing.length));
    await Promise.all(Array.from({ length: n }, worker));
    return bySource;
  }

  /** claim fetches a piece unless another request already is, in which case it waits for that. */
  private async claim(
    task: StoredTask,
    span: PieceSpan,
    fetch: () => Promise<PieceMeta>,
  ): Promise<{ piece: PieceMeta; fetched: boolean }> {
    const stored = task.pieces.get(span.number);
    if (stored) return { piece: stored, fetched: false };
    let perTask = this.inflight.get(task.meta.id);
    if (!perTask) this.inflight.set(task.meta.id, (perTask = new Map()));
    const running = perTask.get(span.number);
    if (running) return { piece: await running, fetched: false };
    const promise = fetch().then((piece) => {
      task.downloadPieceFinished(piece);
      return piece;
    });
    perTask.set(span.number, promise);
    try {
      return { piece: await promise, fetched: true };
    } finally {
      perTask.delete(span.number);
      if (perTask.size === 0) this.inflight.delete(task.meta.id);
    }
  }
}
