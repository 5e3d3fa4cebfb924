import type * as grpc from "@grpc/grpc-js";

import { DfError, ErrorCode, notFound } from "@df/errors";
import type { Download } from "@df/proto/common/v2";
import {
  PieceFailureReason,
  type AnnouncePeerRequest,
  type AnnouncePeerResponse,
} from "@df/proto/scheduler/v2";
import { toGrpcError } from "@df/proto/status";

import { PeerEvent, PeerState, TaskEvent } from "../resource/lifecycle";
import { Peer } from "../resource/peer";
import { Task } from "../resource/task";
import { judgeParent, recordPieceFailure } from "../scheduling/bad-parent";
import { findCandidateParents } from "../scheduling/scheduling";
import { decideSeedTrigger } from "../scheduling/seed-trigger";
import type { SchedulerContext } from "./context";
import { scheduleRound } from "./schedule-round";
import { peerToProto } from "./to-proto";

/** REFRESH_PARENTS is the reschedule description a child sends to ask for better parents. */
export const REFRESH_PARENTS = "refresh parents";

/** SEED_WAIT_MS is how long children wait for a triggered seed peer before the retry rules count. */
const SEED_WAIT_MS = 15_000;

type Stream = grpc.ServerDuplexStream<AnnouncePeerRequest, AnnouncePeerResponse>;
type Req = NonNullable<AnnouncePeerRequest["request"]>;

/**
 * PeerSession runs one AnnouncePeer stream: one download of one peer. Requests are handled one at
 * a time in arrival order; each oneof case goes to its own method.
 */
export class PeerSession {
  private peer: Peer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopWaiting: () => void = () => {};
  private seedWaitUntil = 0;
  private done = false;

  constructor(
    private readonly ctx: SchedulerContext,
    private readonly stream: Stream,
  ) {}

  /** handle dispatches one request. */
  handle(req: AnnouncePeerRequest): void {
    const r = req.request;
    if (!r)
      throw new DfError(ErrorCode.InvalidArgument, "announce peer request has no request case");
    if (r.$case === "registerPeerRequest") return this.register(req, r.value.download);
    const peer = this.peer;
    if (!peer)
      throw new DfError(
        ErrorCode.InvalidStateTransition,
        "register the peer before reporting progress",
      );
    peer.touch();
    this.onEvent(peer, r);
  }

  private onEvent(peer: Peer, r: Exclude<Req, { $case: "registerPeerRequest" }>): void {
    const fire = (e: PeerEvent) => peer.fsm.can(e) && peer.fsm.fire(e);
    const task = peer.task;
    switch (r.$case) {
      case "downloadPeerStartedRequest":
        return void fire(PeerEvent.Download);
      case "downloadPeerBackToSourceStartedRequest":
        return void fire(PeerEvent.DownloadBackToSource);
      case "reschedulePeerRequest":
        for (const p of r.value.candidateParents) peer.blockParents.add(p.id);
        task.dropParents(
          peer.id,
          r.value.candidateParents.map((p) => p.id),
        );
        if (r.value.description === REFRESH_PARENTS) return this.refresh(peer);
        return this.round();
      case "downloadPeerFinishedRequest":
      case "downloadPeerBackToSourceFinishedRequest":
        if (task.contentLength < 0) task.contentLength = r.value.contentLength;
        if (task.totalPieceCount === 0) task.totalPieceCount = r.value.pieceCount;
        if (
          r.$case === "downloadPeerBackToSourceFinishedRequest" &&
          task.fsm.can(TaskEvent.DownloadSucceeded)
        ) {
          task.fsm.fire(TaskEvent.DownloadSucceeded);
        }
        return void fire(PeerEvent.DownloadSucceeded);
      case "downloadPeerFailedRequest":
      case "downloadPeerBackToSourceFailedRequest":
        if (r.$case === "downloadPeerBackToSourceFailedRequest") task.resetMetadata();
        return void fire(PeerEvent.DownloadFailed);
      case "downloadPieceFinishedRequest":
      case "downloadPieceBackToSourceFinishedRequest": {
        const piece = r.value.piece;
        if (!piece) return;
        const parentId = r.$case === "downloadPieceFinishedRequest" ? piece.parentId : undefined;
        peer.finishPiece(piece.number, parentId, piece.costMs);
        if (parentId && judgeParent(peer, parentId, this.ctx.config()) === "slow") {
          peer.badParents.add(parentId);
          this.ctx.log.info("parent marked bad: slow piece", {
            peer: peer.id,
            parent: parentId,
            cost: piece.costMs,
          });
        }
        return;
      }
      case "downloadPieceFailedRequest": {
        const parent = this.ctx.resource.peers.load(r.value.parentId);
        if (!parent) return;
        const digestMismatch =
          r.value.reason === PieceFailureReason.PIECE_FAILURE_REASON_DIGEST_MISMATCH;
        const out = recordPieceFailure(
          { child: peer, parent, digestMismatch, now: this.ctx.now() },
          this.ctx.config(),
        );
        if (out.markedBad || out.hostIsolated) {
          this.ctx.log.warn("parent penalised", {
            peer: peer.id,
            parent: parent.id,
            host: parent.host.info.hostname,
            digestMismatch,
            markedBad: out.markedBad,
            hostIsolated: out.hostIsolated,
          });
        }
        return;
      }
      case "downloadPieceBackToSourceFailedRequest":
        return;
    }
  }

  private register(req: AnnouncePeerRequest, download: Download | undefined): void {
    if (!download)
      throw new DfError(ErrorCode.InvalidArgument, "register_peer_request.download is required");
    const { resource, config, now } = this.ctx;
    const host = resource.hosts.load(req.hostId);
    if (!host) throw notFound("host", req.hostId);
    const task = resource.tasks.loadOrStore(
      new Task({
        id: req.taskId,
        url: download.url,
        tag: download.tag,
        application: download.application,
      }),
    ).value;
    if (task.fsm.can(TaskEvent.Download) && task.state !== "Running")
      task.fsm.fire(TaskEvent.Download);
    const peer = new Peer({
      id: req.peerId,
      host,
      task,
      needBackToSource: download.needBackToSource,
    });
    resource.peers.store(peer);
    peer.fsm.fire(PeerEvent.RegisterNormal);
    this.peer = peer;
    const seedAvailable = host.type !== "seed" && this.ctx.seeds.available(now());
    const d = decideSeedTrigger(peer, config(), { seedPeerAvailable: seedAvailable });
    this.ctx.log.debug("peer registered", {
      peer: peer.id,
      task: task.id,
      decision: d.kind,
      reason: d.reason,
    });
    if (d.kind === "back_to_source") {
      this.backToSource(d.reason);
      // Peers of the task waiting for a parent may use this one (a seed peer, say) at once.
      this.ctx.waiters.wakeAll(task.id);
      return;
    }
    if (d.kind === "trigger_seed_peer" && this.ctx.seeds.trigger(task.id, download, now())) {
      this.seedWaitUntil = now() + SEED_WAIT_MS;
    }
    this.ctx.waiters.wakeAll(task.id);
    this.round();
  }

  /**
   * refresh answers a child that still has working parents and asks for more: new parents are
   * added beside the ones it keeps using (so the graph stays the traffic's) when there are any;
   * otherwise nothing changes and no retry is counted, so a refresh can never push a peer back to
   * the source.
   */
  private refresh(peer: Peer): void {
    if (this.done || peer.state !== PeerState.Running) return;
    const found = findCandidateParents(peer, this.ctx.config(), { now: this.ctx.now() });
    if (found.parents.length === 0) return;
    const added = new Set(
      peer.task.addParents(
        peer.id,
        found.parents.map((p) => p.id),
      ),
    );
    this.ctx.decisions.record({
      ...found.decision,
      description: `refresh: ${found.decision.description}`,
    });
    const parents = found.parents.filter((p) => added.has(p.id));
    this.stream.write({
      response: {
        $case: "normalTaskResponse",
        value: { candidateParents: parents.map(peerToProto) },
      },
    });
  }

  private round(): void {
    const peer = this.peer;
    if (!peer || this.done) return;
    clearTimeout(this.timer);
    this.stopWaiting();
    if (peer.state !== PeerState.ReceivedNormal && peer.state !== PeerState.Running) return;
    // The wait for a triggered seed peer ends early when its download ends (a failure, say).
    const waitingForSeed =
      this.ctx.now() < this.seedWaitUntil && this.ctx.seeds.running(peer.task.id);
    const out = scheduleRound(this.ctx, peer, waitingForSeed);
    switch (out.kind) {
      case "parents":
        this.stream.write({
          response: {
            $case: "normalTaskResponse",
            value: { candidateParents: out.parents.map(peerToProto) },
          },
        });
        return;
      case "retry":
        this.timer = setTimeout(() => this.round(), out.delayMs);
        this.waitForPeers(peer);
        return;
      case "back_to_source":
        return this.backToSource(out.reason);
      case "fail":
        if (peer.fsm.can(PeerEvent.DownloadFailed)) peer.fsm.fire(PeerEvent.DownloadFailed);
        return this.fail(new DfError(ErrorCode.Unavailable, `scheduling failed: ${out.reason}`));
    }
  }

  /**
   * waitForPeers runs the round early when another peer joins the task and could be a parent; a
   * join that brings no candidate keeps waiting and counts no retry.
   */
  private waitForPeers(peer: Peer): void {
    this.stopWaiting = this.ctx.waiters.wait(peer.task.id, () => {
      if (this.done) return;
      const found = findCandidateParents(peer, this.ctx.config(), { now: this.ctx.now() });
      if (found.parents.length > 0) this.round();
      else this.waitForPeers(peer);
    });
  }

  private backToSource(reason: string): void {
    const peer = this.peer;
    if (peer?.fsm.can(PeerEvent.DownloadBackToSource))
      peer.fsm.fire(PeerEvent.DownloadBackToSource);
    this.stream.write({
      response: { $case: "needBackToSourceResponse", value: { description: reason } },
    });
  }

  /** fail ends the stream with a typed error. */
  fail(err: unknown): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.stopWaiting();
    this.stream.emit("error", toGrpcError(err));
  }

  /** closed cleans up when the stream ends: an unfinished peer leaves the task. */
  closed(): void {
    this.done = true;
    clearTimeout(this.timer);
    this.stopWaiting();
    const peer = this.peer;
    if (peer && peer.state !== PeerState.Succeeded) this.ctx.resource.peers.leave(peer.id);
  }
}
