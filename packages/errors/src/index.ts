/**
 * Typed errors with stable codes (convention 10). Every failure that crosses a module boundary is a
 * DfError; each edge (gRPC adapter, tRPC, REST, CLI) maps `code` to its own status exactly once.
 */

/** ErrorCode lists every stable code; clients may branch on these strings. */
export const ErrorCode = {
  InvalidArgument: "DF_ERR_INVALID_ARGUMENT",
  InvalidConfig: "DF_ERR_INVALID_CONFIG",
  NotFound: "DF_ERR_NOT_FOUND",
  AlreadyExists: "DF_ERR_ALREADY_EXISTS",
  Unauthenticated: "DF_ERR_UNAUTHENTICATED",
  PermissionDenied: "DF_ERR_PERMISSION_DENIED",
  RateLimited: "DF_ERR_RATE_LIMITED",
  InvalidStateTransition: "DF_ERR_INVALID_STATE_TRANSITION",
  DigestMismatch: "DF_ERR_DIGEST_MISMATCH",
  SourceError: "DF_ERR_SOURCE",
  Timeout: "DF_ERR_TIMEOUT",
  Unavailable: "DF_ERR_UNAVAILABLE",
  Internal: "DF_ERR_INTERNAL",
} as const;

/** ErrorCodeValue is one of the stable code strings. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** DfError is the base of every typed error; `details` carries machine-readable context. */
export class DfError extends Error {
  readonly code: ErrorCodeValue;
  readonly details: Record<string, unknown>;

  constructor(
    code: ErrorCodeValue,
    message: string,
    details: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "DfError";
    this.code = code;
    this.details = details;
  }
}

/** isDfError tells whether a value is a DfError, also across module copies (checked by brand). */
export function isDfError(value: unknown): value is DfError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { name?: unknown }).name === "DfError" &&
    typeof (value as { code?: unknown }).code === "string"
  );
}

/** invalidArgument reports bad input naming the offending field. */
export function invalidArgument(field: string, problem: string): DfError {
  return new DfError(ErrorCode.InvalidArgument, `${field}: ${problem}`, { field });
}

/** notFound reports a missing entity by kind and id. */
export function notFound(kind: string, id: string | number): DfError {
  return new DfError(ErrorCode.NotFound, `${kind} ${id} not found`, { kind, id });
}

/** invalidStateTransition reports an event that the state machine does not allow. */
export function invalidStateTransition(machine: string, from: string, event: string): DfError {
  return new DfError(
    ErrorCode.InvalidStateTransition,
    `${machine}: event ${event} is not allowed in state ${from}`,
    { machine, from, event },
  );
}

/** toDfError wraps anything thrown into a DfError so edges only ever see typed errors. */
export function toDfError(err: unknown): DfError {
  if (isDfError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new DfError(ErrorCode.Internal, message, {}, err);
}

/** httpStatusOf maps an error code to the HTTP status used by REST and the proxy. */
export const httpStatusOf: Record<ErrorCodeValue, number> = {
  DF_ERR_INVALID_ARGUMENT: 400,
  DF_ERR_INVALID_CONFIG: 400,
  DF_ERR_NOT_FOUND: 404,
  DF_ERR_ALREADY_EXISTS: 409,
  DF_ERR_UNAUTHENTICATED: 401,
  DF_ERR_PERMISSION_DENIED: 403,
  DF_ERR_RATE_LIMITED: 429,
  DF_ERR_INVALID_STATE_TRANSITION: 409,
  DF_ERR_DIGEST_MISMATCH: 422,
  DF_ERR_SOURCE: 502,
  DF_ERR_TIMEOUT: 504,
  DF_ERR_UNAVAILABLE: 503,
  DF_ERR_INTERNAL: 500,
};
