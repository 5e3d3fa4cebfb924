/**
 * The gRPC edge of the manager: wires each manager.v2 rpc to its handler file and maps every
 * error to a gRPC status exactly once (toGrpcError). Handlers only return or throw.
 */
import { status } from "@grpc/grpc-js";
import type {
  handleClientStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
  Server,
  ServerReadableStream,
  ServerWritableStream,
} from "@grpc/grpc-js";

import { ManagerService, type ManagerServer } from "@df/proto/manager/v2";
import { toGrpcError, type GrpcError } from "@df/proto/status";

import type { ManagerServices } from "../services";
import { keepAlive } from "./keep-alive";
import { listSchedulers } from "./list-schedulers";
import { reportConfigApplied } from "./report-config-applied";
import { reportJobResult } from "./report-job-result";
import { subscribeJobs } from "./subscribe-jobs";
import { updateScheduler } from "./update-scheduler";
import { updateSeedPeer } from "./update-seed-peer";
import { watchConfig } from "./watch-config";

/** failure maps an error to its gRPC status and logs internal ones. */
function failure(services: ManagerServices, method: string, err: unknown): GrpcError {
  const grpcError = toGrpcError(err);
  if (grpcError.code === status.INTERNAL)
    services.log.error("grpc handler failed", { method, error: grpcError.message });
  return grpcError;
}

/** unary adapts `(services, request) => Promise<response>`. */
function unary<Req, Res>(
  services: ManagerServices,
  method: string,
  handler: (services: ManagerServices, req: Req) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(services, call.request).then(
      (res) => callback(null, res),
      (err: unknown) => callback(failure(services, method, err)),
    );
  };
}

/** clientStream adapts `(services, call) => Promise<response>` for client-streaming rpcs. */
function clientStream<Req, Res>(
  services: ManagerServices,
  method: string,
  handler: (services: ManagerServices, call: ServerReadableStream<Req, Res>) => Promise<Res>,
): handleClientStreamingCall<Req, Res> {
  return (call, callback) => {
    handler(services, call).then(
      (res) => callback(null, res),
      (err: unknown) => callback(failure(services, method, err)),
    );
  };
}

/** serverStream adapts `(services, call) => Promise<void>` for server-streaming rpcs. */
function serverStream<Req, Res>(
  services: ManagerServices,
  method: string,
  handler: (services: ManagerServices, call: ServerWritableStream<Req, Res>) => Promise<void>,
): handleServerStreamingCall<Req, Res> {
  return (call) => {
    handler(services, call).catch((err: unknown) =>
      call.emit("error", failure(services, method, err)),
    );
  };
}

/** addManagerService registers every manager.v2.Manager rpc. */
export function addManagerService(server: Server, services: ManagerServices): void {
  const impl = {
    updateScheduler: unary(services, "UpdateScheduler", updateScheduler),
    updateSeedPeer: unary(services, "UpdateSeedPeer", updateSeedPeer),
    keepAlive: clientStream(services, "KeepAlive", keepAlive),
    listSchedulers: unary(services, "ListSchedulers", listSchedulers),
    watchConfig: serverStream(services, "WatchConfig", watchConfig),
    reportConfigApplied: unary(services, "ReportConfigApplied", reportConfigApplied),
    subscribeJobs: serverStream(services, "SubscribeJobs", subscribeJobs),
    reportJobResult: unary(services, "ReportJobResult", reportJobResult),
  } satisfies ManagerServer;
  server.addService(ManagerService, impl);
}
