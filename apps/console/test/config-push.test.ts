import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { and, configRevisions, eq, schedulers } from "@df/db";
import { ComponentKind } from "@df/proto/manager/v2";

import { call, signIn, trpc, type Credential } from "./support/http";
import { managerClient, updateScheduler, watchConfig } from "./support/grpc";
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

describe("instant config push", () => {
  it("sends the current config first, then a saved change within a second", async () => {
    const watch = watchConfig(client, 1);
    const first = await watch.next(0);
    expect(JSON.parse(first.schedulerConfigJson)).toMatchObject({ candidate_parent_limit: 3 });

    const saved = Date.now();
    const res = await trpc(m.http, "mutation", "schedulerClusters.update", root, {
      id: 1,
      config: { candidate_parent_limit: 7 },
    });
    expect(res.status).toBe(200);
    const pushed = await watch.next(first.revision, 1000);
    expect(Date.now() - saved).toBeLessThan(1000);
    expect(pushed.revision).toBe(first.revision + 1);
    expect(JSON.parse(pushed.schedulerConfigJson)).toMatchObject({ candidate_parent_limit: 7 });
    expect(JSON.parse(pushed.clientConfigJson)).toMatchObject({ load_limit: 200 });

    const rows = await m.services.db
      .select()
      .from(configRevisions)
      .where(
        and(
          eq(configRevisions.schedulerClusterId, 1),
          eq(configRevisions.revision, pushed.revision),
        ),
      );
    expect(rows[0]?.config.candidate_parent_limit).toBe(7);
    watch.close();
  });

  it("pushes REST changes to every watcher of the cluster and none of another", async () => {
    const a = watchConfig(client, 1);
    const b = watchConfig(client, 1);
    const current = (await a.next(0)).revision;
    await b.next(0);
    const res = await call(m.http, "PATCH", "/api/v1/scheduler-clusters/1", root, {
      client_config: { piece_concurrency: 16 },
    });
    expect(res.status).toBe(200);
    for (const w of [a, b]) {
      const u = await w.next(current, 1000);
      expect(JSON.parse(u.clientConfigJson)).toMatchObject({ piece_concurrency: 16 });
      w.close();
    }
  });

  it("refuses an invalid config with 400 naming the field, and pushes nothing", async () => {
    const watch = watchConfig(client, 1);
    const current = (await watch.next(0)).revision;
    const res = await call(m.http, "PATCH", "/api/v1/scheduler-clusters/1", root, {
      config: { candidate_parent_limit: 99 },
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      code: "DF_ERR_INVALID_ARGUMENT",
      message: expect.stringContaining("config.candidate_parent_limit") as string,
    });
    const unknownKey = await call(m.http, "PATCH", "/api/v1/scheduler-clusters/1", root, {
      clientConfig: { nope: 1 },
    });
    expect(unknownKey.json).toMatchObject({
      message: expect.stringContaining("clientConfig.nope") as string,
    });
    await expect(watch.next(current, 300)).rejects.toThrow(/no config update/);
    watch.close();
  });

  it("does not bump the revision when nothing changed", async () => {
    const before = await call(m.http, "GET", "/api/v1/scheduler-clusters/1", root);
    const revision = (before.json as { configRevision: number }).configRevision;
    const cfg = (before.json as { config: Record<string, unknown> }).config;
    const res = await call(m.http, "PATCH", "/api/v1/scheduler-clusters/1", root, { config: cfg });
    expect((res.json as { configRevision: number }).configRevision).toBe(revision);
  });

  it("refuses to watch an unknown cluster", async () => {
    const watch = watchConfig(client, 424242);
    await expect(watch.next(0, 1000)).rejects.toMatchObject({ code: "DF_ERR_NOT_FOUND" });
  });

  it("records the revision a scheduler reports as applied", async () => {
    await updateScheduler(client, { hostname: "sched-cfg", ip: "10.0.1.1" });
    await new Promise<void>((resolve, reject) =>
      client.reportConfigApplied(
        {
          hostname: "sched-cfg",
          ip: "10.0.1.1",
          component: ComponentKind.COMPONENT_KIND_SCHEDULER,
          revision: 5,
          schedulerClusterId: 1,
        },
        (err) => (err ? reject(err) : resolve()),
      ),
    );
    const [row] = await m.services.db
      .select()
      .from(schedulers)
      .where(eq(schedulers.hostname, "sched-cfg"));
    expect(row?.appliedRevision).toBe(5);
    const listed = await call(m.http, "GET", "/api/v1/schedulers?hostname=sched-cfg", root);
    expect(listed.json).toMatchObject([{ hostname: "sched-cfg", appliedRevision: 5 }]);
  });
});
