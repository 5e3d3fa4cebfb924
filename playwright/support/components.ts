/**
 * Fake schedulers and seed peers for the console's live-status tests: they register with the
 * manager over gRPC, keep alive, and report the config revision they run, like the real ones.
 */
import { managerClient } from "../../apps/console/test/support/grpc";
import {
  ComponentKind,
  SourceType,
  type KeepAliveRequest,
} from "../../packages/proto/src/gen/manager/v2/manager";
import { E2E } from "./constants";

/** FakeComponent is a registered component that heartbeats until stopped. */
export interface FakeComponent {
  hostname: string;
  /** reportApplied tells the manager which config revision the component now runs. */
  reportApplied(revision: number): Promise<void>;
  /** stop closes the keep-alive stream, so the manager marks the component inactive. */
  stop(): Promise<void>;
}

type Client = ReturnType<typeof managerClient>;

/** unary adapts a callback-style gRPC call to a promise. */
function unary(run: (done: (err: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((err) => (err ? reject(err) : resolve())));
}

/** startKeepAlive opens a keep-alive stream and heartbeats every 500 ms. */
function startKeepAlive(client: Client, req: KeepAliveRequest) {
  const stream = client.keepAlive(() => undefined);
  stream.on("error", () => undefined);
  stream.write(req);
  const timer = setInterval(() => stream.write(req), 500);
  return async () => {
    clearInterval(timer);
    stream.end();
    await new Promise((r) => setTimeout(r, 200));
    client.close();
  };
}

/** startScheduler registers a scheduler in a scheduler cluster and keeps it alive. */
export async function startScheduler(hostname: string, clusterId: number): Promise<FakeComponent> {
  const client = managerClient(`127.0.0.1:${E2E.grpcPort}`);
  const ip = "10.10.0.1";
  await unary((done) =>
    client.updateScheduler(
      {
        hostname,
        ip,
        port: 8002,
        idc: "",
        location: "",
        schedulerClusterId: clusterId,
        features: [],
        version: "e2e",
      },
      (err) => done(err),
    ),
  );
  const stop = startKeepAlive(client, {
    sourceType: SourceType.SCHEDULER_SOURCE,
    hostname,
    ip,
    clusterId,
    intervalSeconds: 1,
  });
  return {
    hostname,
    reportApplied: (revision) =>
      unary((done) =>
        client.reportConfigApplied(
          {
            hostname,
            ip,
            component: ComponentKind.COMPONENT_KIND_SCHEDULER,
            revision,
            schedulerClusterId: clusterId,
          },
          (err) => done(err),
        ),
      ),
    stop,
  };
}

/** startSeedPeer registers a seed peer in a seed peer cluster and keeps it alive. */
export async function startSeedPeer(
  hostname: string,
  seedPeerClusterId: number,
  schedulerClusterId: number,
): Promise<FakeComponent> {
  const client = managerClient(`127.0.0.1:${E2E.grpcPort}`);
  const ip = "10.20.0.1";
  await unary((done) =>
    client.updateSeedPeer(
      {
        hostname,
        ip,
        port: 4000,
        downloadPort: 4001,
        proxyPort: 4002,
        idc: "",
        location: "",
        seedPeerClusterId,
      },
      (err) => done(err),
    ),
  );
  const stop = startKeepAlive(client, {
    sourceType: SourceType.SEED_PEER_SOURCE,
    hostname,
    ip,
    clusterId: seedPeerClusterId,
    intervalSeconds: 1,
  });
  return {
    hostname,
    reportApplied: (revision) =>
      unary((done) =>
        client.reportConfigApplied(
          {
            hostname,
            ip,
            component: ComponentKind.COMPONENT_KIND_SEED_PEER,
            revision,
            schedulerClusterId,
          },
          (err) => done(err),
        ),
      ),
    stop,
  };
}
