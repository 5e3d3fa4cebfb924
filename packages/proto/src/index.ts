/**
 * @df/proto: gRPC contracts of the project. Generated messages and services live behind subpath
 * exports (`@df/proto/common/v2`, `/scheduler/v2`, `/manager/v2`, `/dfdaemon/v2`, `/grpc/health/v1`);
 * this entry point re-exports the hand-written health and error-mapping helpers.
 */
export { addHealthService, checkHealth } from "./health";
export type { HealthHandle, HealthStatus, ServingStatus } from "./health";
export {
  ERROR_CODE_KEY,
  ERROR_DETAILS_KEY,
  fromGrpcError,
  grpcStatusOf,
  isGrpcError,
  toGrpcError,
} from "./status";
export type { GrpcError } from "./status";
export { bindServer, stopServer, GRACEFUL_STOP_MS } from "./serve";
