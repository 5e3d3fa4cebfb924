import { credentials, Metadata } from "@grpc/grpc-js";

import {
  ManagerClient,
  SourceType,
  type ConfigUpdate,
  type KeepAliveRequest,
  type ListSchedulersRequest,
  type ListSchedulersResponse,
  type Scheduler,
  type UpdateSchedulerRequest,
} from "@df/proto/manager/v2";
import { fromGrpcError } from "@df/proto/status";

/** managerClient connects to the manager's gRPC port. */
export const managerClient = (address: string): ManagerClient =>
  new ManagerClient(address, credentials.createInsecure());

/** updateScheduler registers a scheduler. */
export function updateScheduler(
  client: ManagerClient,
  req: Partial<UpdateSchedulerRequest> & { hostname: string; ip: string },
): Promise<Scheduler> {
  const full: UpdateSchedulerRequest = {
    port: 8002,
    idc: "",
    location: "",
    schedulerClusterId: 1,
    features: [],
    version: "test",
    ...req,
  };
  return new Promise((resolve, reject) =>
    client.updateScheduler(full, (err, res) => (err ? reject(fromGrpcError(err)) : resolve(res))),
  );
}

/** listSchedulers asks which schedulers a host should use. */
export function listSchedulers(
  client: ManagerClient,
  req: Partial<ListSchedulersRequest>,
): Promise<ListSchedulersResponse> {
  const full: ListSchedulersRequest = {
    hostname: "",
    ip: "",
    idc: "",
    location: "",
    hostType: 0,
    version: "test",
    ...req,
  };
  return new Promise((resolve, reject) =>
    client.listSchedulers(full, (err, res) => (err ? reject(fromGrpcError(err)) : resolve(res))),
  );
}

/** KeepAliveStream is an open KeepAlive call. */
export interface KeepAliveStream {
  beat(): void;
  /** end closes the stream cleanly and resolves with the call's outcome. */
  end(): Promise<void>;
  /** cancel drops the stream like a crashed client. */
  cancel(): void;
}

/** keepAlive opens a KeepAlive stream for a scheduler. */
export function keepAlive(
  client: ManagerClient,
  who: { hostname: string; ip: string; clusterId: number; intervalSeconds?: number },
): KeepAliveStream {
  let settle: (err: Error | null) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    settle = (err) => (err ? reject(fromGrpcError(err)) : resolve());
  });
  done.catch(() => undefined);
  const stream = client.keepAlive(new Metadata(), (err) => settle(err));
  const req: KeepAliveRequest = {
    sourceType: SourceType.SCHEDULER_SOURCE,
    intervalSeconds: 1,
    ...who,
  };
  return {
    beat: () => void stream.write(req),
    end: () => {
      stream.end();
      return done;
    },
    cancel: () => stream.cancel(),
  };
}

/** ConfigWatch is an open WatchConfig stream with every update it received. */
export interface ConfigWatch {
  updates: ConfigUpdate[];
  /** next resolves with the first update with revision > `after`; it rejects on a stream error or after `timeoutMs`. */
  next(after: number, timeoutMs?: number): Promise<ConfigUpdate>;
  close(): void;
}

/** watchConfig opens WatchConfig for a cluster. */
export function watchConfig(client: ManagerClient, schedulerClusterId: number): ConfigWatch {
  const updates: ConfigUpdate[] = [];
  const waiters = new Set<() => void>();
  const stream = client.watchConfig({
    component: 0,
    hostname: "watcher",
    ip: "127.0.0.1",
    schedulerClusterId,
    revision: 0,
  });
  stream.on("data", (u: ConfigUpdate) => {
    updates.push(u);
    for (const w of [...waiters]) w();
  });
  let failure: Error | undefined;
  stream.on("error", (err: Error) => {
    failure = fromGrpcError(err);
    for (const w of [...waiters]) w();
  });
  return {
    updates,
    next(after, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = updates.find((u) => u.revision > after);
          if (!found && !failure) return;
          waiters.delete(check);
          clearTimeout(timer);
          if (found) resolve(found);
          else reject(failure);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no config update after revision ${after} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => stream.cancel(),
  };
}
