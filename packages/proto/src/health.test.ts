import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { credentials, Server, ServerCredentials, status } from "@grpc/grpc-js";
import type { ClientReadableStream, ServiceError } from "@grpc/grpc-js";
import {
  addHealthService,
  checkHealth,
  HealthClient,
  HealthCheckResponse_ServingStatus,
} from "./health";
import type { HealthCheckResponse, HealthHandle } from "./health";

/** listen binds a server on an ephemeral loopback port and returns "127.0.0.1:<port>". */
function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(err) : resolve(`127.0.0.1:${port}`),
    );
  });
}

/** reader queues stream messages so a test can await them one by one, and notes the end. */
function reader(stream: ClientReadableStream<HealthCheckResponse>) {
  const queue: HealthCheckResponse[] = [];
  const waiting: ((m: HealthCheckResponse) => void)[] = [];
  let ended = false;
  stream.on("data", (m: HealthCheckResponse) => {
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  const end = new Promise<void>((resolve) => stream.on("end", () => ((ended = true), resolve())));
  stream.on("error", () => undefined);
  return {
    next: (): Promise<HealthCheckResponse> => {
      const m = queue.shift();
      return m ? Promise.resolve(m) : new Promise((resolve) => waiting.push(resolve));
    },
    end,
    isEnded: () => ended,
  };
}

describe("health service", () => {
  const server = new Server();
  let handle: HealthHandle;
  let address = "";
  let client: InstanceType<typeof HealthClient>;

  beforeAll(async () => {
    handle = addHealthService(server);
    address = await listen(server);
    client = new HealthClient(address, credentials.createInsecure());
  });

  afterAll(() => {
    client.close();
    server.forceShutdown();
  });

  it("answers SERVING for the whole server", async () => {
    expect(await checkHealth(address)).toBe("SERVING");
    expect(await checkHealth(address, "")).toBe("SERVING");
  });

  it("answers NOT_FOUND for an unknown service", async () => {
    const err = await new Promise<ServiceError | null>((resolve) =>
      client.check({ service: "no.such.Service" }, (e) => resolve(e)),
    );
    expect(err?.code).toBe(status.NOT_FOUND);
    expect(await checkHealth(address, "no.such.Service")).toBe("SERVICE_UNKNOWN");
  });

  it("rejects with a typed error when nothing listens", async () => {
    const probe = new Server();
    const dead = await listen(probe);
    probe.forceShutdown();
    await expect(checkHealth(dead, "", 1000)).rejects.toMatchObject({ name: "DfError" });
  });

  it("streams status changes to a watcher and ends it on shutdown", async () => {
    const svc = "scheduler.v2.Scheduler";
    const watch = reader(client.watch({ service: svc }));
    expect((await watch.next()).status).toBe(HealthCheckResponse_ServingStatus.SERVICE_UNKNOWN);

    handle.setStatus(svc, "SERVING");
    expect((await watch.next()).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    expect(await checkHealth(address, svc)).toBe("SERVING");

    handle.setStatus(svc, "SERVING"); // unchanged: no message
    handle.setStatus(svc, "NOT_SERVING");
    expect((await watch.next()).status).toBe(HealthCheckResponse_ServingStatus.NOT_SERVING);

    handle.setStatus(svc, "SERVING");
    expect((await watch.next()).status).toBe(HealthCheckResponse_ServingStatus.SERVING);

    handle.shutdown();
    expect((await watch.next()).status).toBe(HealthCheckResponse_ServingStatus.NOT_SERVING);
    await watch.end;
    expect(watch.isEnded()).toBe(true);
    expect(await checkHealth(address)).toBe("NOT_SERVING");

    handle.setStatus("", "SERVING"); // ignored after shutdown
    expect(await checkHealth(address)).toBe("NOT_SERVING");
  });
});
