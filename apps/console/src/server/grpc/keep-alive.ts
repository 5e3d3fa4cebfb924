import type { ServerReadableStream } from "@grpc/grpc-js";

import { DfError, ErrorCode, invalidArgument } from "@df/errors";
import { SourceType, type KeepAliveRequest } from "@df/proto/manager/v2";

import type { ManagerServices } from "../services";
import type { ComponentIdentity, KeepAliveSession } from "../services/liveness";
import { EMPTY } from "./messages";

/** identityOf names the component a heartbeat comes from. */
function identityOf(req: KeepAliveRequest): ComponentIdentity {
  const kind =
    req.sourceType === SourceType.SCHEDULER_SOURCE
      ? "scheduler"
      : req.sourceType === SourceType.SEED_PEER_SOURCE
        ? "seed-peer"
        : undefined;
  if (!kind) throw invalidArgument("source_type", "only schedulers and seed peers keep alive");
  if (!req.hostname || !req.ip) throw invalidArgument("hostname", "hostname and ip are required");
  return { kind, hostname: req.hostname, ip: req.ip, clusterId: req.clusterId };
}

/**
 * keepAlive serves one KeepAlive stream: the first heartbeat marks the component active, each
 * later one records lastKeepAliveAt, and the end of the stream (ended, cancelled, broken, or the
 * manager stopping) marks it inactive. Heartbeats are applied strictly in order and the close
 * waits for the last one, so a late heartbeat never revives a closed stream's component.
 */
export function keepAlive(
  services: ManagerServices,
  call: ServerReadableStream<KeepAliveRequest, Record<string, never>>,
): Promise<Record<string, never>> {
  return new Promise((resolve, reject) => {
    let session: KeepAliveSession | undefined;
    let chain: Promise<void> = Promise.resolve();
    let failure: unknown = null;
    call.on("data", (req: KeepAliveRequest) => {
      chain = chain
        .then(async () => {
          if (failure !== null) return;
          if (session) await session.beat();
          else session = await services.liveness.open(identityOf(req), req.intervalSeconds);
        })
        .catch((err: unknown) => {
          failure = err;
          void finish(err);
        });
    });
    let finished: Promise<void> | undefined;
    /** finish closes the session once; the call ends OK only if no heartbeat failed and `outcome` is null. */
    const finish = (outcome: unknown): Promise<void> => {
      finished ??= chain
        .then(() => session?.close())
        .catch((err: unknown) =>
          services.log.error("cannot mark component inactive", { error: String(err) }),
        )
        .then(() => {
          unregister();
          const why = failure ?? outcome;
          if (why !== null) reject(why);
          else resolve(EMPTY);
        });
      return finished;
    };
    const unregister = services.liveness.onShutdown(() =>
      finish(new DfError(ErrorCode.Unavailable, "manager is stopping; reconnect")),
    );
    const dropped = () => finish(new DfError(ErrorCode.Unavailable, "keep-alive stream dropped"));
    call.on("end", () => void finish(null));
    call.on("cancelled", () => void dropped());
    call.on("error", () => void dropped());
  });
}
