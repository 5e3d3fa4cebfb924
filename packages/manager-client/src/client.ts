import { credentials, Metadata } from "@grpc/grpc-js";
import type { CallOptions, ClientOptions, ServiceError } from "@grpc/grpc-js";

import { ManagerClient } from "@df/proto/manager/v2";
import { fromGrpcError } from "@df/proto/status";

import { BACKOFF_INITIAL_MS, BACKOFF_MAX_MS } from "./backoff";

/** CALL_DEADLINE_MS bounds every unary call to the manager. */
export const CALL_DEADLINE_MS = 5_000;

/**
 * CHANNEL_OPTIONS give each channel its own connection (no backoff state shared through
 * grpc-js's global subchannel pool), cap grpc-js's reconnect backoff at the link's (its default
 * grows to 120 s), and ping the manager so a half-open connection is noticed.
 */
const CHANNEL_OPTIONS: Partial<ClientOptions> = {
  "grpc.initial_reconnect_backoff_ms": BACKOFF_INITIAL_MS,
  "grpc.max_reconnect_backoff_ms": BACKOFF_MAX_MS,
  "grpc.keepalive_time_ms": 15_000,
  "grpc.keepalive_timeout_ms": 5_000,
  "grpc.use_local_subchannel_pool": 1,
};

/** createManagerClient opens an insecure channel to the manager at `addr` (host:port). */
export function createManagerClient(addr: string): ManagerClient {
  return new ManagerClient(addr, credentials.createInsecure(), CHANNEL_OPTIONS);
}

/** UnaryMethod is a generated unary client method in its (request, metadata, options, callback) form. */
type UnaryMethod<Req, Res> = (
  req: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (err: ServiceError | null, res: Res) => void,
) => { cancel(): void };

/** unary calls a unary rpc with CALL_DEADLINE_MS, cancelled when `signal` aborts, and rejects with the restored DfError. */
export function unary<Req, Res>(
  method: UnaryMethod<Req, Res>,
  req: Req,
  signal?: AbortSignal,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const options = { deadline: Date.now() + CALL_DEADLINE_MS };
    const call = method(req, new Metadata(), options, (err, res) => {
      signal?.removeEventListener("abort", cancel);
      if (err) reject(fromGrpcError(err));
      else resolve(res);
    });
    const cancel = () => call.cancel();
    signal?.addEventListener("abort", cancel, { once: true });
  });
}
