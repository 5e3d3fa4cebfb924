import { DfError, ErrorCode } from "@df/errors";
import type { Logger } from "@df/logger";

import { probe, type SourceRequest } from "../backend/http-source";
import type { HostLimiters } from "../limit/host-limiters";
import { PeerDownload, SchedulerLost } from "../p2p/peer-download";
import type { SchedulerPool } from "../p2p/scheduler-pool";
import type { Storage } from "../storage/storage";
import type { StoredTask } from "../storage/stored-task";
import { fileDigest, parseDigest } from "../task/digest";
import { choosePieceLength, interestedPieces, type ByteRange } from "../task/pieces";
import { DEFAULT_FILTERED_QUERY_PARAMS, taskId } from "../task/task-id";
import { PieceClaims } from "./claims";
import { checkOutputPath, deliverOutput, RangeOutput } from "./output";
import { Progress, type DownloadEvents, type PieceSource } from "./progress";
import { downloadFromSource } from "./source-download";

export type { DownloadEvents, PieceSource } from "./progress";

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
  /**
   * digestCheckedByCaller skips the check of the stored content against `digest` (which still
   * travels with the request, to the scheduler and the seed peer): the proxy hashes the bytes as
   * it streams them and drops the task itself on a mismatch.
   */
  digestCheckedByCaller?: boolean;
  outputPath?: string | undefined;
  overwrite?: boolean;
  disableBackToSource: boolean;
  /** needBackToSource asks to fetch from the origin (a seed peer triggered by the scheduler). */
  needBackToSource?: boolean;
  signal?: AbortSignal | undefined;
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
  /** schedulers, when it knows any, makes downloads go through the swarm. */
  schedulers?: SchedulerPool;
  hostId?: string;
  peerId?: () => string;
}

/**
 * TaskDownloader runs downloads. A task whose requested pieces are stored is served locally with
 * no network at all. Otherwise, with schedulers known, the download joins the swarm on the task's
 * scheduler (rendezvous order, falling over to the next one when it dies) and goes to the origin
 * only when the scheduler says so, or when no scheduler is left; without schedulers it goes to
 * the origin directly.
 */
export class TaskDownloader {
  private readonly claims = new PieceClaims();

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
    // A range output is assembled piece by piece as the pieces land (see RangeOutput).
    let rangeOut: RangeOutput | undefined;
    const progress = new Progress({
      started: (info) => events.started?.(info),
      piece: (p, from, counters) => {
        rangeOut?.add(p);
        events.piece?.(p, from, counters);
      },
    });
    let task: StoredTask;
    try {
      task = await this.run(id, req, source, filtered, progress, (contentPath) => {
        if (req.range && req.outputPath)
          rangeOut = new RangeOutput(contentPath, req.outputPath, req.range);
      });
    } catch (err) {
      await rangeOut?.abort();
      throw err;
    }
    task.active++;
    try {
      this.persistInBackground(task);
      // A digest for the whole content is checked on the stored task itself, with or without an
      // output: a seed peer (no output) must not keep and serve bytes that fail it either.
      const whole =
        req.digest && !req.range && !req.digestCheckedByCaller
          ? await this.verify(task, req.digest)
          : undefined;
      const digest = !req.outputPath
        ? whole
        : rangeOut
          ? await rangeOut.finish(
              interestedPieces(task.meta.contentLength, task.meta.pieceLength, req.range),
              req.digest,
            )
          : ((await deliverOutput(task.contentPath, req.outputPath, {})) ?? whole);
      const requestedBytes = req.range?.length ?? task.meta.contentLength;
      return {
        taskId: id,
        contentLength: task.meta.contentLength,
        requestedBytes,
        digest,
        bytesBySource: progress.bySource,
        task,
      };
    } finally {
      task.active--;
    }
  }

  /** run gets the request's pieces stored: locally, through the swarm, or from the source. */
  private async run(
    id: string,
    req: DownloadRequest,
    source: SourceRequest,
    filtered: string[],
    progress: Progress,
    onTask: (contentPath: string) => void,
  ): Promise<StoredTask> {
    const stored = this.deps.storage.get(id);
    if (stored && this.complete(stored, req.range)) {
      onTask(stored.contentPath);
      await this.fromSource(stored, req, source, progress);
      return stored;
    }
    if (
      this.deps.schedulers &&
      this.deps.schedulers.size > 0 &&
      this.deps.hostId &&
      this.deps.peerId
    ) {
      onTask(this.deps.storage.layout.content(id));
      return this.viaSwarm(id, req, source, filtered, progress);
    }
    const task = await this.prepare(id, req, source, filtered);
    onTask(task.contentPath);
    await this.fromSource(task, req, source, progress);
    return task;
  }

  /**
   * persistInBackground syncs the pieces and saves the finish (or access) time without holding up
   * the caller: the bytes are already in the page cache, and until the sync lands a crash only
   * means those pieces are fetched again, since the journal never gets ahead of the content.
   */
  private persistInBackground(task: StoredTask): void {
    task.touch();
    const done =
      task.isFinished && !task.meta.finishedAt
        ? task.markFinished()
        : task.flush().then(() => task.persistAccess());
    done.catch((err: unknown) =>
      this.deps.log.warn("saving task state failed", { task: task.meta.id, error: String(err) }),
    );
  }

  /**
   * verify hashes the stored content against the whole-content digest. On a mismatch the task is
   * dropped (it must not be served to peers or hit again from the cache) and the download fails.
   */
  private async verify(task: StoredTask, expected: string): Promise<string> {
    const want = parseDigest(expected);
    const wanted = `${want.algorithm}:${want.value}`;
    const actual = await fileDigest(task.contentPath, want.algorithm);
    if (actual === wanted) return actual;
    await this.deps.storage.deleteTask(task.meta.id, { force: true }).catch((err: unknown) =>
      this.deps.log.warn("cannot drop a task that failed its digest", {
        task: task.meta.id,
        error: String(err),
      }),
    );
    throw new DfError(
      ErrorCode.DigestMismatch,
      `digest mismatch: expected ${wanted}, got ${actual}`,
      {
        expected: wanted,
        actual,
      },
    );
  }

  private complete(task: StoredTask, range?: ByteRange): boolean {
    return interestedPieces(task.meta.contentLength, task.meta.pieceLength, range).every((p) =>
      task.pieces.has(p.number),
    );
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
      ...(found.rangeable ? {} : { rangeable: false }),
      createdAt: now,
      accessedAt: now,
    });
  }

  /** fromSource reports stored pieces and fetches the missing ones of the request from the origin. */
  private async fromSource(
    task: StoredTask,
    req: DownloadRequest,
    source: SourceRequest,
    progress: Progress,
  ): Promise<void> {
    task.active++;
    try {
      progress.started(task);
      const pieces = interestedPieces(task.meta.contentLength, task.meta.pieceLength, req.range);
      for (const p of pieces) {
        const local = task.pieces.get(p.number);
        if (local) progress.piece(local, "local");
      }
      const missing = pieces.filter((p) => !task.pieces.has(p.number));
      if (missing.length > 0 && req.disableBackToSource) {
        throw new DfError(
          ErrorCode.Unavailable,
          `${missing.length} pieces are missing and back-to-source is disabled`,
        );
      }
      await downloadFromSource({
        task,
        pieces: missing,
        source,
        limiters: this.deps.limiters,
        claims: this.claims,
        concurrency: this.deps.pieceConcurrency(),
        signal: req.signal,
        onPiece: (piece, fetched) => progress.piece(piece, fetched ? "source" : "local"),
      });
    } finally {
      task.active--;
    }
  }

  /** viaSwarm downloads through the task's schedulers in rendezvous order. */
  private async viaSwarm(
    id: string,
    req: DownloadRequest,
    source: SourceRequest,
    filtered: string[],
    progress: Progress,
  ): Promise<StoredTask> {
    const { schedulers, hostId, peerId } = this.deps;
    if (!schedulers || !hostId || !peerId)
      throw new DfError(ErrorCode.Internal, "swarm download without schedulers");
    for (const addr of schedulers.orderFor(id)) {
      const session = new PeerDownload({
        taskId: id,
        req,
        progress,
        pool: schedulers,
        hostId,
        peerId: peerId(),
        storage: this.deps.storage,
        limiters: this.deps.limiters,
        claims: this.claims,
        log: this.deps.log,
        concurrency: this.deps.pieceConcurrency(),
        createFromSource: () =>
          this.prepare(id, { ...req, disableBackToSource: false }, source, filtered),
        source,
      });
      try {
        return await session.run(addr);
      } catch (err) {
        if (!(err instanceof SchedulerLost)) throw err;
        this.deps.log.warn("scheduler lost, trying the next one", {
          scheduler: addr,
          task: id,
          reason: err.message,
        });
      }
    }
    if (req.disableBackToSource) {
      throw new DfError(
        ErrorCode.Unavailable,
        "no scheduler is reachable and back-to-source is disabled",
      );
    }
    this.deps.log.warn("no scheduler left, downloading from the source", { task: id });
    const task = await this.prepare(id, req, source, filtered);
    await this.fromSource(task, req, source, progress);
    return task;
  }
}
