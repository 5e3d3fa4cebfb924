import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eq, schedulerClusters, schedulers } from "@df/db";
import { waitFor } from "@df/testkit";

import { call, signIn, type Credential } from "./support/http";
import { keepAlive, listSchedulers, managerClient, updateScheduler } from "./support/grpc";
import { ROOT_PASSWORD, startTestManager, type TestManager } from "./support/manager";

let m: TestManager;
let root: Credential;
let client: ReturnType<typeof managerClient>;

beforeAll(async () => {
  m = await startTestManager();
  root = await signIn(m.http, "root", ROOT_PASSWORD);
  client = managerClient(m.grpc);
});

afterAll(async () => {
  client.close();
  await m.stop();
});

/** stateOf reads a scheduler's state through REST, as an operator would. */
async function stateOf(hostname: string): Promise<string | undefined> {
  const res = await call(m.http, "GET", `/api/v1/schedulers?hostname=${hostname}`, root);
  const rows = res.json as Array<{ hostname: string; state: string }>;
  return rows.find((r) => r.hostname === hostname)?.state;
}

describe("scheduler registration and keep-alive", () => {
  it("upserts by hostname, ip and cluster and starts inactive", async () => {
    const first = await updateScheduler(client, {
      hostname: "sched-up",
      ip: "10.0.0.1",
      port: 8002,
    });
    const again = await updateScheduler(client, {
      hostname: "sched-up",
      ip: "10.0.0.1",
      port: 9002,
    });
    expect(again.id).toBe(first.id);
    expect(again.port).toBe(9002);
    expect(again.state).toBe("inactive");
    expect(again.features).toEqual(["schedule", "preheat"]);
  });

  it("refuses an unknown cluster and a bad address, naming the field", async () => {
    await expect(
      updateScheduler(client, { hostname: "s", ip: "10.0.0.1", schedulerClusterId: 999 }),
    ).rejects.toMatchObject({ code: "DF_ERR_NOT_FOUND" });
    await expect(updateScheduler(client, { hostname: "s", ip: "nope" })).rejects.toMatchObject({
      code: "DF_ERR_INVALID_ARGUMENT",
      message: expect.stringContaining("ip") as string,
    });
  });

  it("is active while the keep-alive stream lives and inactive once it ends", async () => {
    await updateScheduler(client, { hostname: "sched-ka", ip: "10.0.0.2" });
    const stream = keepAlive(client, { hostname: "sched-ka", ip: "10.0.0.2", clusterId: 1 });
    stream.beat();
    await waitFor(
      "scheduler active",
      async () => (await stateOf("sched-ka")) === "active",
      5000,
      50,
    );
    stream.beat();
    await stream.end();
    await waitFor(
      "scheduler inactive",
      async () => (await stateOf("sched-ka")) === "inactive",
      5000,
      50,
    );
    const [row] = await m.services.db
      .select()
      .from(schedulers)
      .where(eq(schedulers.hostname, "sched-ka"));
    expect(row?.lastKeepAliveAt).toBeInstanceOf(Date);
  });

  it("marks the scheduler inactive when the stream is dropped", async () => {
    await updateScheduler(client, { hostname: "sched-drop", ip: "10.0.0.3" });
    const stream = keepAlive(client, { hostname: "sched-drop", ip: "10.0.0.3", clusterId: 1 });
    stream.beat();
    await waitFor("active", async () => (await stateOf("sched-drop")) === "active", 5000, 50);
    stream.cancel();
    await waitFor("inactive", async () => (await stateOf("sched-drop")) === "inactive", 5000, 50);
  });

  it("ends a keep-alive of an unregistered component with NOT_FOUND", async () => {
    const stream = keepAlive(client, { hostname: "ghost", ip: "10.9.9.9", clusterId: 1 });
    stream.beat();
    await expect(stream.end()).rejects.toMatchObject({ code: "DF_ERR_NOT_FOUND" });
  });

  it("sweeps a component without heartbeats for three intervals", async () => {
    await updateScheduler(client, { hostname: "sched-silent", ip: "10.0.0.4" });
    const stream = keepAlive(client, {
      hostname: "sched-silent",
      ip: "10.0.0.4",
      clusterId: 1,
      intervalSeconds: 2,
    });
    stream.beat();
    await waitFor("active", async () => (await stateOf("sched-silent")) === "active", 5000, 50);
    expect(await m.services.liveness.sweep(Date.now() + 5_000)).toBe(0);
    expect(await m.services.liveness.sweep(Date.now() + 7_000)).toBeGreaterThanOrEqual(1);
    expect(await stateOf("sched-silent")).toBe("inactive");
    stream.beat();
    await waitFor(
      "active again",
      async () => (await stateOf("sched-silent")) === "active",
      5000,
      50,
    );
    await stream.end();
  });
});

describe("ListSchedulers", () => {
  it("picks the cluster whose scopes fit the host best and returns its active schedulers", async () => {
    const created = await call(m.http, "POST", "/api/v1/scheduler-clusters", root, {
      name: "cidr-cluster",
      scopes: { cidrs: ["172.16.0.0/12"] },
    });
    expect(created.status).toBe(200);
    const id = (created.json as { id: number }).id;
    await updateScheduler(client, {
      hostname: "sched-a",
      ip: "172.16.0.10",
      schedulerClusterId: id,
    });
    await updateScheduler(client, {
      hostname: "sched-b",
      ip: "172.16.0.11",
      schedulerClusterId: id,
    });
    const live = keepAlive(client, { hostname: "sched-a", ip: "172.16.0.10", clusterId: id });
    const live1 = keepAlive(client, { hostname: "sched-def", ip: "10.0.0.20", clusterId: 1 });
    await updateScheduler(client, { hostname: "sched-def", ip: "10.0.0.20" });
    live.beat();
    live1.beat();
    await waitFor("both active", async () => (await stateOf("sched-a")) === "active", 5000, 50);
    await waitFor(
      "default active",
      async () => (await stateOf("sched-def")) === "active",
      5000,
      50,
    );

    const inScope = await listSchedulers(client, { hostname: "peer-1", ip: "172.20.1.1" });
    expect(inScope.schedulerClusterId).toBe(id);
    expect(inScope.schedulers.map((s) => s.hostname)).toEqual(["sched-a"]);

    const elsewhere = await listSchedulers(client, { hostname: "peer-2", ip: "192.168.1.1" });
    expect(elsewhere.schedulerClusterId).toBe(1);
    expect(elsewhere.schedulers.map((s) => s.hostname)).toContain("sched-def");

    const pinned = await listSchedulers(client, { ip: "172.20.1.1", schedulerClusterId: 1 });
    expect(pinned.schedulerClusterId).toBe(1);
    await live.end();
    await live1.end();
    const [cluster] = await m.services.db
      .select()
      .from(schedulerClusters)
      .where(eq(schedulerClusters.id, id));
    expect(cluster?.name).toBe("cidr-cluster");
  });
});
