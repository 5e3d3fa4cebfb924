import type * as grpc from "@grpc/grpc-js";

import { DfError, ErrorCode, notFound } from "@df/errors";
import { HostType, SizeScope, TaskType, type Task as TaskProto } from "@df/proto/common/v2";
import {
  DecisionOutcome,
  type SchedulerServer,
  type SchedulingDecision,
} from "@df/proto/scheduler/v2";
import { toGrpcError } from "@df/proto/status";

import { Host } from "../resource/host";
import type { Task } from "../resource/task";
import type { Decision } from "../scheduling/decision";
import type { SchedulerContext } from "./context";
import { PeerSession } from "./peer-session";
import { hostToProto, peerToProto } from "./to-proto";

const OUTCOME: Record<Decision["outcome"], DecisionOutcome> = {
  candidate_parents: DecisionOutcome.DECISION_OUTCOME_CANDIDATE_PARENTS,
  back_to_source: DecisionOutcome.DECISION_OUTCOME_BACK_TO_SOURCE,
  empty_task: DecisionOutcome.DECISION_OUTCOME_EMPTY_TASK,
  no_parent: DecisionOutcome.DECISION_OUTCOME_NO_PARENT,
  failed: DecisionOutcome.DECISION_OUTCOME_FAILED,
};

function decisionToProto(d: Decision): SchedulingDecision {
  return {
    peerId: d.peerId,
    taskId: d.taskId,
    createdAt: new Date(d.at),
    attempt: d.attempt,
    outcome: OUTCOME[d.outcome],
    chosenParents: d.chosen.map((c) => ({ peerId: c.peerId, hostId: c.hostId, score: c.score })),
    rejectedCandidates: d.rejected.map((r) => ({
      peerId: r.peerId,
      hostId: r.hostId,
      reason: r.reason,
    })),
    description: d.description,
  };
}

function taskToProto(t: Task): TaskProto {
  return {
    id: t.id,
    type: TaskType.STANDARD,
    url: t.url,
    tag: t.tag,
    application: t.application,
    filteredQueryParams: [],
    requestHeader: {},
    pieceLength: t.pieceLength,
    contentLength: t.contentLength >= 0 ? t.contentLength : undefined,
    pieceCount: t.totalPieceCount,
    sizeScope: SizeScope.NORMAL,
    state: t.state,
    peerCount: t.peers.size,
    hasAvailablePeer: [...t.peers.values()].some((p) => p.state === "Succeeded"),
    createdAt: new Date(t.createdAt),
    updatedAt: new Date(t.updatedAt),
  };
}

/** unary wraps a handler so every error is mapped to a gRPC status once. */
function unary<Req, Res>(fn: (req: Req) => Res): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    try {
      callback(null, fn(call.request));
    } catch (err) {
      callback(toGrpcError(err));
    }
  };
}

/** createSchedulerRpcs implements scheduler.v2.Scheduler over the in-memory resources. */
export function createSchedulerRpcs(ctx: SchedulerContext): SchedulerServer {
  const { resource } = ctx;
  return {
    announceHost: unary((req) => {
      const h = req.host;
      if (!h?.id || !h.ip)
        throw new DfError(ErrorCode.InvalidArgument, "host.id and host.ip are required");
      const info = {
        id: h.id,
        type: h.type === HostType.HOST_TYPE_SEED ? ("seed" as const) : ("normal" as const),
        hostname: h.hostname,
        ip: h.ip,
        port: h.port,
        downloadPort: h.downloadPort,
        idc: h.idc,
        location: h.location,
        disableShared: h.disableShared,
        uploadLimit: h.network?.uploadConcurrencyLimit ?? 0,
        announceIntervalMs: req.intervalMs ?? 0,
        cpu: h.cpu,
        memory: h.memory,
        network: h.network,
        disk: h.disk,
      };
      const { value, loaded } = resource.hosts.loadOrStore(new Host(info, { log: ctx.log }));
      if (loaded) value.announce(info);
      return {};
    }),
    deleteHost: unary((req) => {
      if (!resource.hosts.delete(req.hostId)) throw notFound("host", req.hostId);
      ctx.log.info("host left", { host: req.hostId });
      return {};
    }),
    statHost: unary((req) => {
      const h = resource.hosts.load(req.hostId);
      if (!h) throw notFound("host", req.hostId);
      return hostToProto(h);
    }),
    announcePeer: (stream) => {
      const session = new PeerSession(ctx, stream);
      stream.on("data", (req) => {
        try {
          session.handle(req);
        } catch (err) {
          session.fail(err);
        }
      });
      stream.on("end", () => {
        session.closed();
        stream.end();
      });
      stream.on("error", () => session.closed());
      stream.on("cancelled", () => session.closed());
    },
    statPeer: unary((req) => {
      const p = resource.peers.load(req.peerId);
      if (!p) throw notFound("peer", req.peerId);
      return peerToProto(p);
    }),
    deletePeer: unary((req) => {
      if (!resource.peers.leave(req.peerId)) throw notFound("peer", req.peerId);
      return {};
    }),
    statTask: unary((req) => {
      const t = resource.tasks.load(req.taskId);
      if (!t) throw notFound("task", req.taskId);
      return taskToProto(t);
    }),
    deleteTask: unary((req) => {
      const t = resource.tasks.load(req.taskId);
      if (!t) throw notFound("task", req.taskId);
      // A host deleting its copy: only that host's peer of the task leaves.
      for (const p of [...t.peers.values()])
        if (!req.hostId || p.host.id === req.hostId) resource.peers.leave(p.id);
      return {};
    }),
    listSchedulingDecisions: unary((req) => ({
      decisions: ctx.decisions
        .list(req.taskId, { peerId: req.peerId, limit: req.limit })
        .map(decisionToProto),
    })),
  };
}
