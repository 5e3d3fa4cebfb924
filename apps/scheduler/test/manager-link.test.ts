import { readFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { grpcServing, waitFor } from "@df/testkit";

import {
  clusterRevision,
  componentRow,
  saveClusterConfig,
  startManagerProcess,
  type ManagerProcess,
} from "./support/manager-process";
import { logged, startLinkedScheduler, type LinkedScheduler } from "./support/scheduler-process";

/** PUSH_DEADLINE_MS bounds how long a saved config may take to be applied (~1 s, slack for load). */
const PUSH_DEADLINE_MS = 3_000;
const HOST = "link-sched";

let m: ManagerProcess;
let s: LinkedScheduler;

/** kept reads the scheduler's dynconfig.json. */
const kept = () =>
  JSON.parse(readFileSync(join(s.dataDir, "dynconfig.json"), "utf8")) as {
    revision: number;
    scheduler_config: { candidate_parent_limit: number };
  };

/** schedulerShows waits until the manager lists the scheduler active with `revision` applied. */
const schedulerShows = (revision: number, timeoutMs = 30_000) =>
  waitFor(
    `scheduler active with revision ${revision} applied`,
    async () => {
      const row = await componentRow(m, "schedulers", HOST);
      return row?.state === "active" && row.appliedRevision === revision;
    },
    timeoutMs,
  );

beforeAll(async () => {
  m = await startManagerProcess();
  s = await startLinkedScheduler(HOST, m.grpc, ["--manager.keepAliveIntervalSeconds=1"]);
}, 180_000);

afterAll(async () => {
  await s?.stop();
  await m?.destroy();
}, 60_000);

describe("scheduler manager link", () => {
  it("registers, shows active and reports the cluster's config revision as applied", async () => {
    const revision = await clusterRevision(m);
    await schedulerShows(revision);
    await logged(s.proc, /manager link established .*revision=1/);
    expect(kept()).toMatchObject({ revision, scheduler_config: { candidate_parent_limit: 3 } });
  });

  it("applies a config saved in the manager within about a second, without restarting", async () => {
    const pid = s.proc.child.pid;
    const saved = Date.now();
    const revision = await saveClusterConfig(m, { config: { candidate_parent_limit: 7 } });
    await logged(s.proc, /scheduler config applied candidate_parent_limit=7/, PUSH_DEADLINE_MS);
    expect(Date.now() - saved).toBeLessThan(PUSH_DEADLINE_MS);
    await schedulerShows(revision, 10_000);
    expect(kept()).toMatchObject({ revision, scheduler_config: { candidate_parent_limit: 7 } });
    expect(s.proc.child.pid).toBe(pid);
    expect(s.proc.child.exitCode).toBeNull();
  });

  it("keeps serving while the manager is down and shows active again once it is back", async () => {
    const revision = await clusterRevision(m);
    await m.stop();
    await logged(s.proc, /manager link lost, reconnecting/);
    // Stay down long enough for several failed reconnects and a grown backoff.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(await grpcServing(s.addr)).toBe(true);
    expect(s.proc.child.exitCode).toBeNull();

    await m.restart();
    await logged(s.proc, /manager link restored/);
    await schedulerShows(revision);
    expect(s.proc.output()).toMatch(/scheduler config applied candidate_parent_limit=7/);
  }, 150_000);

  it("restarted while the manager is down, starts on the config kept on disk", async () => {
    const revision = await clusterRevision(m);
    await m.stop();
    await s.restart();
    await logged(
      s.proc,
      new RegExp(`restoring scheduler config kept on disk revision=${revision}`),
    );
    await logged(s.proc, /scheduler config applied candidate_parent_limit=7/);
    await logged(s.proc, /manager link lost, reconnecting/);
    expect(await grpcServing(s.addr)).toBe(true);

    await m.restart();
    await schedulerShows(revision);
    expect(s.proc.child.exitCode).toBeNull();
  }, 150_000);
});
