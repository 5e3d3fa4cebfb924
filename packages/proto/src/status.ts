/**
 * gRPC edge of @df/errors: the one place where a DfError code becomes a gRPC status and back.
 * The exact DfError code rides in the `df-error-code` trailer and its `details` as JSON in
 * `df-error-details-bin`, so a TypeScript client restores the error losslessly; other clients
 * still get a meaningful gRPC status.
 *
 * SourceError (the origin failed) maps to UNAVAILABLE, following gRPC's HTTP mapping of
 * 502 Bad Gateway (httpStatusOf uses 502); clients tell it apart from a down peer by the trailer.
 */
import { Metadata, status } from "@grpc/grpc-js";
import type { StatusObject } from "@grpc/grpc-js";
import { DfError, ErrorCode, isDfError, toDfError } from "@df/errors";
import type { ErrorCodeValue } from "@df/errors";

/** ERROR_CODE_KEY is the trailer key carrying the DfError code. */
export const ERROR_CODE_KEY = "df-error-code";

/** ERROR_DETAILS_KEY is the binary trailer key carrying DfError.details as UTF-8 JSON. */
export const ERROR_DETAILS_KEY = "df-error-details-bin";

/** grpcStatusOf maps every ErrorCode to the gRPC status code sent on the wire. */
export const grpcStatusOf: Record<ErrorCodeValue, status> = {
  DF_ERR_INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  DF_ERR_INVALID_CONFIG: status.INVALID_ARGUMENT,
  DF_ERR_NOT_FOUND: status.NOT_FOUND,
  DF_ERR_ALREADY_EXISTS: status.ALREADY_EXISTS,
  DF_ERR_UNAUTHENTICATED: status.UNAUTHENTICATED,
  DF_ERR_PERMISSION_DENIED: status.PERMISSION_DENIED,
  DF_ERR_RATE_LIMITED: status.RESOURCE_EXHAUSTED,
  DF_ERR_INVALID_STATE_TRANSITION: status.FAILED_PRECONDITION,
  DF_ERR_DIGEST_MISMATCH: status.DATA_LOSS,
  DF_ERR_SOURCE: status.UNAVAILABLE,
  DF_ERR_TIMEOUT: status.DEADLINE_EXCEEDED,
  DF_ERR_UNAVAILABLE: status.UNAVAILABLE,
  DF_ERR_INTERNAL: status.INTERNAL,
};

/** errorCodeOfStatus is the fallback for errors without the trailer (e.g. raised by grpc-js itself). */
const errorCodeOfStatus: Partial<Record<status, ErrorCodeValue>> = {
  [status.INVALID_ARGUMENT]: ErrorCode.InvalidArgument,
  [status.OUT_OF_RANGE]: ErrorCode.InvalidArgument,
  [status.NOT_FOUND]: ErrorCode.NotFound,
  [status.ALREADY_EXISTS]: ErrorCode.AlreadyExists,
  [status.UNAUTHENTICATED]: ErrorCode.Unauthenticated,
  [status.PERMISSION_DENIED]: ErrorCode.PermissionDenied,
  [status.RESOURCE_EXHAUSTED]: ErrorCode.RateLimited,
  [status.FAILED_PRECONDITION]: ErrorCode.InvalidStateTransition,
  [status.DATA_LOSS]: ErrorCode.DigestMismatch,
  [status.DEADLINE_EXCEEDED]: ErrorCode.Timeout,
  [status.UNAVAILABLE]: ErrorCode.Unavailable,
  [status.CANCELLED]: ErrorCode.Unavailable,
  [status.ABORTED]: ErrorCode.Unavailable,
};

const knownCodes = new Set<string>(Object.values(ErrorCode));

/** GrpcError is the shape grpc-js gives to client callbacks and accepts from server handlers. */
export type GrpcError = Partial<StatusObject> & Error;

/** isGrpcError tells whether a value carries a numeric gRPC status code. */
export function isGrpcError(value: unknown): value is GrpcError {
  const code = (value as { code?: unknown } | null)?.code;
  return value instanceof Error && typeof code === "number" && code >= 0 && code <= 16;
}

/** toGrpcError turns anything thrown into the error a grpc-js handler passes to its callback or stream. */
export function toGrpcError(err: unknown): GrpcError {
  const df = fromGrpcError(err);
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_KEY, df.code);
  const json = detailsJson(df.details);
  if (json !== undefined) metadata.set(ERROR_DETAILS_KEY, Buffer.from(json, "utf8"));
  return Object.assign(new Error(df.message), {
    code: grpcStatusOf[df.code],
    details: df.message,
    metadata,
  });
}

/** fromGrpcError restores the DfError behind a gRPC error (trailer first, else the status code). */
export function fromGrpcError(err: unknown): DfError {
  if (isDfError(err)) return err;
  if (!isGrpcError(err)) return toDfError(err);
  const trailer = err.metadata?.get(ERROR_CODE_KEY)[0];
  const code =
    typeof trailer === "string" && knownCodes.has(trailer)
      ? (trailer as ErrorCodeValue)
      : (errorCodeOfStatus[err.code ?? status.UNKNOWN] ?? ErrorCode.Internal);
  const message = err.details || err.message;
  return new DfError(code, message, parseDetails(err.metadata?.get(ERROR_DETAILS_KEY)[0]), err);
}

/** detailsJson serialises details, or returns undefined when empty or not serialisable. */
function detailsJson(details: Record<string, unknown>): string | undefined {
  if (Object.keys(details).length === 0) return undefined;
  try {
    return JSON.stringify(details);
  } catch {
    return undefined;
  }
}

/** parseDetails reads the details trailer back, ignoring anything malformed. */
function parseDetails(raw: string | Buffer | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  try {
    const value: unknown = JSON.parse(raw.toString());
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
