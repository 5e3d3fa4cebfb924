import { Metadata } from "@grpc/grpc-js";

import type {
  ConfigUpdate,
  KeepAliveRequest,
  ManagerClient,
  WatchConfigRequest,
} from "@df/proto/manager/v2";
import { fromGrpcError } from "@df/proto/status";

/** CLOSE_WAIT_MS is how long a closing stream waits for the manager to acknowledge the end. */
const CLOSE_WAIT_MS = 1_000;

/** LinkStream is an open streaming call to the manager. */
export interface LinkStream {
  /** done resolves when the manager ends the call and rejects when it breaks. */
  done: Promise<void>;
  /** close ends the call from this side and waits (briefly) for it to settle. */
  close(): Promise<void>;
}

/** settled waits for `done` to settle or `ms` to pass, never rejecting. */
function settled(done: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    done
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        resolve();
      });
  });
}

/**
 * openKeepAlive holds the KeepAlive client stream: one heartbeat at once, then one every
 * `req.intervalSeconds`. Closing ends the stream cleanly, so the manager marks the sender
 * inactive at once instead of waiting for missed heartbeats.
 */
export function openKeepAlive(client: ManagerClient, req: KeepAliveRequest): LinkStream {
  let finished = false;
  let settle: (err: Error | null) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    settle = (err) => (err ? reject(err) : resolve());
  });
  done.catch(() => undefined);
  const call = client.keepAlive(new Metadata(), (err) => {
    finished = true;
    clearInterval(timer);
    settle(err ? fromGrpcError(err) : null);
  });
  // Failures arrive through the callback; a listener keeps a stray "error" event from crashing us.
  call.on("error", () => undefined);
  const beat = () => {
    if (!finished) call.write(req);
  };
  const timer = setInterval(beat, Math.max(1, req.intervalSeconds) * 1000);
  beat();
  return {
    done,
    async close() {
      clearInterval(timer);
      if (finished) return;
      call.end();
      await settled(done, CLOSE_WAIT_MS);
      if (!finished) call.cancel();
    },
  };
}

/** openWatch opens WatchConfig and hands each pushed update to `onUpdate`, in order. */
export function openWatch(
  client: ManagerClient,
  req: WatchConfigRequest,
  onUpdate: (update: ConfigUpdate) => void,
): LinkStream {
  const call = client.watchConfig(req);
  const done = new Promise<void>((resolve, reject) => {
    call.on("data", onUpdate);
    // grpc-js emits "error" before "status" for a failed call, so the rejection wins.
    call.on("error", (err: Error) => reject(fromGrpcError(err)));
    call.on("status", () => resolve());
  });
  done.catch(() => undefined);
  return {
    done,
    async close() {
      call.cancel();
      await settled(done, CLOSE_WAIT_MS);
    },
  };
}
