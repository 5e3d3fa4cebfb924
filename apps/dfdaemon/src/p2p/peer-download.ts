import type * as grpc from "@grpc/grpc-js";

import { DfError, ErrorCode, isDfError } from "@df/errors";
import type { Logger } from "@df/logger";
import { HostType, TaskType, TrafficType, type Piece } from "@df/proto/common/v2";
import {
  PieceFailureReason,
  type AnnouncePeerRequest,
  type AnnouncePeerResponse,
} from "@df/proto/scheduler/v2";
import { ERROR_CODE_KEY, fromGrpcError } from "@df/proto/status";

import type { SourceRequest } from "../backend/http-source";
import type { PieceClaims } from "../download/claims";
import type { Progress } from "../download/progress";
import { downloadFromSource } from "../download/source-download";
import type { DownloadRequest } from "../download/task-download";
import type { HostLimiters } from "../limit/host-limiters";
import type { Storage } from "../storage/storage";
import type { StoredTask } from "../storage/stored-task";
import type { PieceMeta } from "../storage/types";
import { interestedPieces, type PieceSpan } from "../task/pieces";
import { PieceCollector } from "./piece-collector";
import { runParentWorkers } from "./parent-workers";
import type { SchedulerPool } from "./scheduler-pool";

/** SchedulerLost means the scheduler went away; the caller moves to the next scheduler. */
export class SchedulerLost extends Error {}

/** PeerDownloadOptions are one download's inputs and the daemon's shared resources. */
export interface PeerDownloadOptions {
  taskId: string;
  req: DownloadRequest;
  progress: Progress;
  pool: SchedulerPool;
  hostId: string;
  peerId: string;
  storage: Storage;
  limiters: HostLimiters;
  claims: PieceClaims;
  log: Logger;
  concurrency: number;
  source: SourceRequest;
  /** createFromSource probes the origin and creates the task when no parent told its shape. */
  createFromSource: () => Promise<StoredTask>;
}

type Request = NonNullable<AnnouncePeerRequest["request"]>;

/**
 * PeerDownload is one download on one scheduler: register, take candidate parents, download
 * pieces from them (reporting each), ask for new parents when they fail, and go to the origin
 * only when the scheduler says so.
 */
export class PeerDownload {
  private call: grpc.ClientDuplexStream<AnnouncePeerRequest, AnnouncePeerResponse> | undefined;
  private readonly collector: PieceCollector;
  private task: StoredTask | undefined;
  private mode: "waiting" | "p2p" | "source" = "waiting";
  private settled = false;
  private resolve: (t: StoredTask) => void = () => {};
  private reject: (e: unknown) => void = () => {};
  readonly log: Logger;

  constructor(private readonly o: PeerDownloadOptions) {
    this.collector = new PieceCollector(o.taskId, o.hostId);
    this.task = o.storage.get(o.taskId);
    this.log = o.log.with({ task: o.taskId.slice(0, 12), peer: o.peerId.slice(-8) });
  }

  /** send writes one request on the AnnouncePeer stream (ignored once it is closed). */
  send(request: Request): void {
    if (
      this.settled &&
      request.$case !== "downloadPeerFinishedRequest" &&
      request.$case !== "downloadPeerBackToSourceFinishedRequest"
    )
      return;
    this.call?.write({
      hostId: this.o.hostId,
      taskId: this.o.taskId,
      peerId: this.o.peerId,
      request,
    });
  }

  /** run downloads the request's pieces through the scheduler at `addr`. */
  async run(addr: string): Promise<StoredTask> {
    try {
      await this.o.pool.ensureAnnounced(addr);
    } catch (err) {
      throw new SchedulerLost(
        `announce to ${addr} failed: ${String((err as grpc.ServiceError).details ?? err)}`,
      );
    }
    return new Promise<StoredTask>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      const call = this.o.pool.client(addr).announcePeer();
      this.call = call;
      call.on("data", (res: AnnouncePeerResponse) => this.onResponse(res));
      call.on("error", (err: grpc.ServiceError) => this.onStreamError(err));
      call.on("end", () => this.onStreamError(undefined));
      const d = this.o.req;
      this.send({
        $case: "registerPeerRequest",
        value: {
          download: {
            url: d.url,
            digest: d.digest,
            range: undefined,
            type: TaskType.STANDARD,
            tag: d.tag,
            application: d.application,
            priority: 0,
            filteredQueryParams: d.filteredQueryParams ?? [],
            requestHeader: d.headers,
            pieceLength: d.pieceLength,
            outputPath: undefined,
            timeoutMs: undefined,
            disableBackToSource: d.disableBackToSource,
            needBackToSource: d.needBackToSource ?? false,
            isPrefetch: false,
            prefetch: false,
            forceHardLink: false,
            overwrite: false,
          },
        },
      });
    }).finally(() => this.collector.close());
  }

  private onStreamError(err: grpc.ServiceError | undefined): void {
    if (this.settled) return;
    if (this.mode === "source") return; // The origin download goes on without the scheduler.
    const fromScheduler = err?.metadata?.get(ERROR_CODE_KEY)?.length;
    if (err && fromScheduler) this.fail(fromGrpcError(err));
    else this.fail(new SchedulerLost(err ? err.details : "scheduler ended the stream"));
  }

  private onResponse(res: AnnouncePeerResponse): void {
    const r = res.response;
    if (!r || this.settled) return;
    if (r.$case === "normalTaskResponse") {
      this.log.debug("candidate parents", {
        parents: r.value.candidateParents.map((p) => p.host?.hostname ?? p.id).join(","),
      });
      for (const p of r.value.candidateParents) {
        if (!p.host) continue;
        this.collector.add({
          peerId: p.id,
          hostId: p.host.id,
          ip: p.host.ip,
          port: p.host.port,
          downloadPort: p.host.downloadPort,
          seed: p.host.type === HostType.HOST_TYPE_SEED,
        });
      }
      if (this.mode === "waiting") {
        this.mode = "p2p";
        this.send({ $case: "downloadPeerStartedRequest", value: {} });
        this.runP2P().catch((e: unknown) => this.fail(e));
      }
    } else if (r.$case === "needBackToSourceResponse") {
      if (this.o.req.disableBackToSource) {
        const why = r.value.description ?? "no parent";
        this.fail(
          new DfError(
            ErrorCode.Unavailable,
            `no parent can serve this task (${why}) and back-to-source is disabled`,
          ),
        );
        return;
      }
      if (this.mode === "source") return;
      this.mode = "source";
      this.runSource().catch((e: unknown) => this.fail(e));
    }
  }

  /** wanted lists the request's pieces not yet stored. */
  private wanted(task: StoredTask): PieceSpan[] {
    return interestedPieces(task.meta.contentLength, task.meta.pieceLength, this.o.req.range);
  }

  private reportLocal(task: StoredTask): void {
    this.o.progress.started(task);
    for (const p of this.wanted(task)) {
      const local = task.pieces.get(p.number);
      if (local) this.o.progress.piece(local, "local");
    }
  }

  /**
   * ensureTaskFromParents waits for a parent to tell the task's lengths and creates the task. If
   * every parent is dropped first (one that deleted the task, say), the scheduler is asked for
   * others; it answers with new parents or sends this peer to the source.
   */
  private async ensureTaskFromParents(): Promise<StoredTask> {
    if (this.task) return this.task;
    const shape =
      this.collector.shape ??
      (await new Promise<{ contentLength: number; pieceLength: number }>((res) => {
        const onChange = () => {
          if (this.collector.usableParents().length > 0 || !this.active) return;
          const gone = [...this.collector.parents.keys()];
          this.reschedule(gone, "no usable parent");
        };
        this.collector.on("change", onChange);
        this.collector.once("shape", (s: { contentLength: number; pieceLength: number }) => {
          this.collector.off("change", onChange);
          res(s);
        });
      }));
    const now = Date.now();
    const d = this.o.req;
    this.task =
      this.o.storage.get(this.o.taskId) ??
      (await this.o.storage.downloadTaskStarted({
        id: this.o.taskId,
        url: d.url,
        tag: d.tag,
        application: d.application,
        filteredQueryParams: d.filteredQueryParams ?? [],
        pieceLength: shape.pieceLength,
        contentLength: shape.contentLength,
        responseHeader: {},
        createdAt: now,
        accessedAt: now,
      }));
    return this.task;
  }

  private async runP2P(): Promise<void> {
    const task = await this.ensureTaskFromParents();
    if (this.settled || this.mode !== "p2p") return;
    task.active++;
    try {
      this.reportLocal(task);
      await runParentWorkers(this, task, this.wanted(task), this.collector, this.o);
      if (this.mode !== "p2p" || this.settled) return;
      this.send({
        $case: "downloadPeerFinishedRequest",
        value: { contentLength: task.meta.contentLength, pieceCount: task.pieceCount },
      });
      this.succeed(task);
    } finally {
      task.active--;
    }
  }

  private async runSource(): Promise<void> {
    this.send({ $case: "downloadPeerBackToSourceStartedRequest", value: {} });
    const task = this.task ?? (this.task = await this.o.createFromSource());
    task.active++;
    try {
      this.reportLocal(task);
      const missing = this.wanted(task).filter((p) => !task.pieces.has(p.number));
      await downloadFromSource({
        task,
        pieces: missing,
        source: this.o.source,
        limiters: this.o.limiters,
        claims: this.o.claims,
        concurrency: this.o.concurrency,
        signal: this.o.req.signal,
        onPiece: (piece, fetched) => {
          this.o.progress.piece(piece, fetched ? "source" : "local");
          if (fetched)
            this.send({
              $case: "downloadPieceBackToSourceFinishedRequest",
              value: { piece: pieceProto(piece, TrafficType.BACK_TO_SOURCE, 0) },
            });
        },
      });
      this.send({
        $case: "downloadPeerBackToSourceFinishedRequest",
        value: { contentLength: task.meta.contentLength, pieceCount: task.pieceCount },
      });
      this.succeed(task);
    } catch (err) {
      this.send({
        $case: "downloadPeerBackToSourceFailedRequest",
        value: { description: isDfError(err) ? err.message : String(err) },
      });
      throw err;
    } finally {
      task.active--;
    }
  }

  /** reportPiece tells the scheduler a piece came from a parent. */
  reportPiece(piece: PieceMeta, costMs: number): void {
    this.log.debug("piece from parent", {
      piece: piece.number,
      parent: piece.parentId?.slice(-8),
      costMs,
    });
    this.o.progress.piece(piece, "parent");
    this.send({
      $case: "downloadPieceFinishedRequest",
      value: { piece: pieceProto(piece, TrafficType.REMOTE_PEER, costMs) },
    });
  }

  /** reportPieceFailure tells the scheduler a parent failed to deliver a piece. */
  reportPieceFailure(
    n: number,
    parentId: string,
    reason: PieceFailureReason,
    description: string,
  ): void {
    const temporary = reason === PieceFailureReason.PIECE_FAILURE_REASON_PARENT_BUSY;
    this.send({
      $case: "downloadPieceFailedRequest",
      value: { pieceNumber: n, parentId, temporary, reason, description },
    });
  }

  /** reschedule asks the scheduler for other parents than the dropped ones. */
  reschedule(dropped: string[], description: string): void {
    const candidateParents = dropped.map((id) => ({
      id,
      host: undefined,
      taskId: this.o.taskId,
      state: "",
      finishedPieceCount: 0,
      pieces: [],
      range: undefined,
      priority: 0,
      needBackToSource: false,
      costMs: 0,
      createdAt: undefined,
      updatedAt: undefined,
    }));
    this.send({ $case: "reschedulePeerRequest", value: { candidateParents, description } });
  }

  /** active tells the workers whether to keep going. */
  get active(): boolean {
    return !this.settled && this.mode === "p2p";
  }

  private succeed(task: StoredTask): void {
    if (this.settled) return;
    this.settled = true;
    this.call?.end();
    this.resolve(task);
  }

  private fail(err: unknown): void {
    if (this.settled) return;
    if (!(err instanceof SchedulerLost)) {
      this.send({
        $case: "downloadPeerFailedRequest",
        value: { description: isDfError(err) ? err.message : String(err) },
      });
    }
    this.settled = true;
    this.call?.end();
    this.call?.cancel();
    this.reject(err);
  }
}

function pieceProto(p: PieceMeta, trafficType: TrafficType, costMs: number): Piece {
  return {
    number: p.number,
    offset: p.offset,
    length: p.length,
    digest: p.digest,
    parentId: p.parentId,
    trafficType,
    costMs,
    createdAt: new Date(p.finishedAt),
  };
}
