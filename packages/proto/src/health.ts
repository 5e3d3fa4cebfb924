/**
 * grpc.health.v1 server and client helpers. Every gRPC server of the project registers the Health
 * service with addHealthService; probes and schedulers (seed-peer health) call checkHealth.
 */
import { credentials, Metadata, status } from "@grpc/grpc-js";
import type { Server, ServerWritableStream } from "@grpc/grpc-js";
import { notFound } from "@df/errors";
import {
  HealthCheckResponse_ServingStatus as Serving,
  HealthClient,
  HealthService,
  healthCheckResponse_ServingStatusToJSON,
} from "./gen/grpc/health/v1/health";
import type {
  HealthCheckRequest,
  HealthCheckResponse,
  HealthServer,
} from "./gen/grpc/health/v1/health";
import { fromGrpcError, toGrpcError } from "./status";

export {
  HealthCheckRequest,
  HealthCheckResponse,
  HealthCheckResponse_ServingStatus,
  HealthClient,
  HealthService,
} from "./gen/grpc/health/v1/health";
export type { HealthServer } from "./gen/grpc/health/v1/health";

/** ServingStatus is a status a server may set for one of its services. */
export type ServingStatus = "UNKNOWN" | "SERVING" | "NOT_SERVING";

/** HealthStatus is a status a health check can answer (SERVICE_UNKNOWN: the service is not registered). */
export type HealthStatus = ServingStatus | "SERVICE_UNKNOWN";

/** HealthHandle controls the statuses served by one registered Health service. */
export interface HealthHandle {
  /** setStatus sets a service's status ("" = whole server) and notifies its watchers; ignored after shutdown. */
  setStatus(service: string, status: ServingStatus): void;
  /** clearStatus forgets a service: Check answers NOT_FOUND and watchers see SERVICE_UNKNOWN. */
  clearStatus(service: string): void;
  /** shutdown sets every service NOT_SERVING, sends that to watchers and ends all Watch streams. */
  shutdown(): void;
}

type Watcher = ServerWritableStream<HealthCheckRequest, HealthCheckResponse>;

/** addHealthService registers grpc.health.v1.Health on a server (before it starts); "" starts SERVING. */
export function addHealthService(
  server: Server,
  initial: Record<string, ServingStatus> = { "": "SERVING" },
): HealthHandle {
  const statuses = new Map<string, Serving>();
  const watchers = new Map<string, Set<Watcher>>();
  let terminal = false;

  const current = (service: string): Serving => statuses.get(service) ?? Serving.SERVICE_UNKNOWN;
  const update = (service: string, next: Serving | undefined): void => {
    const before = current(service);
    if (next === undefined) statuses.delete(service);
    else statuses.set(service, next);
    if (current(service) === before) return;
    for (const call of watchers.get(service) ?? []) call.write({ status: current(service) });
  };

  const impl: HealthServer = {
    check(call, callback) {
      const found = statuses.get(call.request.service);
      if (found === undefined)
        callback(toGrpcError(notFound("health service", JSON.stringify(call.request.service))));
      else callback(null, { status: found });
    },
    watch(call) {
      const service = call.request.service;
      call.write({ status: current(service) });
      if (terminal) {
        call.end();
        return;
      }
      const set = watchers.get(service) ?? new Set<Watcher>();
      watchers.set(service, set.add(call));
      call.on("cancelled", () => {
        set.delete(call);
        if (set.size === 0 && watchers.get(service) === set) watchers.delete(service);
      });
    },
  };
  server.addService(HealthService, impl);
  for (const [service, value] of Object.entries(initial)) statuses.set(service, Serving[value]);

  return {
    setStatus(service, value) {
      if (!terminal) update(service, Serving[value]);
    },
    clearStatus(service) {
      if (!terminal) update(service, undefined);
    },
    shutdown() {
      if (terminal) return;
      terminal = true;
      for (const service of statuses.keys()) update(service, Serving.NOT_SERVING);
      for (const set of watchers.values()) for (const call of set) call.end();
      watchers.clear();
    },
  };
}

/** checkHealth asks a server (host:port or unix:path) for a service's status; "" = whole server. */
export function checkHealth(
  address: string,
  service = "",
  timeoutMs = 5000,
): Promise<HealthStatus> {
  const client = new HealthClient(address, credentials.createInsecure());
  return new Promise<HealthStatus>((resolve, reject) => {
    client.check({ service }, new Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      client.close();
      if (err === null) resolve(statusName(res.status));
      else if (err.code === status.NOT_FOUND) resolve("SERVICE_UNKNOWN");
      else reject(fromGrpcError(err));
    });
  });
}

/** statusName turns the wire enum into its name, folding unrecognised values into UNKNOWN. */
function statusName(value: Serving): HealthStatus {
  const name = healthCheckResponse_ServingStatusToJSON(value);
  return name === "SERVING" || name === "NOT_SERVING" || name === "SERVICE_UNKNOWN"
    ? name
    : "UNKNOWN";
}
