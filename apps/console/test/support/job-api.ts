import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll } from "vitest";

import { jobs, schedulers } from "@df/db";
import { harborPreheatBody, waitFor } from "@df/testkit";

import { call, signIn, type Credential } from "./http";
import { ROOT_PASSWORD, startTestManager, type TestManager } from "./manager";
import { startMiniRegistry, type MiniRegistry } from "./mini-registry";

/** JobJson is the part of a job's REST body the tests read. */
export interface JobJson {
  id: number;
  state: string;
  args: Record<string, unknown>;
  result: {
    job_states: Array<{
      state: string;
      error: string;
      scheduler_cluster_id: number;
      results: unknown[];
    }>;
  } | null;
}

/** harborBody is Harbor's preheat post of `url` with a bearer token. */
export const harborBody = (url: string, clusterIds: number[] | null, token = "harbor-pull") =>
  harborPreheatBody(url, `Bearer ${token}`, clusterIds);

/** fileBody is a file preheat of `urls` on cluster 1. */
export const fileBody = (urls: string[], extra: Record<string, unknown> = {}) => ({
  type: "preheat",
  args: { type: "file", urls, ...extra },
  scheduler_cluster_ids: [1],
});

/** JobApi is what the job API tests share: a manager, a registry, credentials and helpers. */
export interface JobApi {
  m: TestManager;
  root: Credential;
  registry: MiniRegistry;
  /** jobToken has the `job` scope (as Harbor's); clusterToken only `cluster`. */
  jobToken: Credential;
  clusterToken: Credential;
  /** jobCount is the number of stored jobs. */
  jobCount(): Promise<number>;
  /** getJob reads a job over the open API. */
  getJob(id: number): Promise<JobJson>;
  /** settled polls a job like Harbor does until it leaves PENDING. */
  settled(id: number, timeoutMs?: number): Promise<JobJson>;
}

/**
 * useJobApi starts a manager (short grace and reassign times, legacy preheat API on) and a mini
 * registry for the test file, and stops them after it. Each test starts from a quiet manager:
 * the fake schedulers a test stopped are marked inactive (their KeepAlive close reaches the
 * manager a moment later) and its jobs have settled, so a later test neither receives an earlier
 * test's job nor sees a scheduler that is going away.
 */
export function useJobApi(): JobApi {
  const api = {} as JobApi;
  const token = async (name: string, scopes: string[]): Promise<Credential> => {
    const expiredAt = new Date(Date.now() + 86_400_000).toISOString();
    const res = await call(api.m.http, "POST", "/api/v1/personal-access-tokens", api.root, {
      name,
      scopes,
      expiredAt,
    });
    return { token: (res.json as { token: string }).token };
  };
  api.jobCount = async () => (await api.m.services.db.select().from(jobs)).length;
  api.getJob = async (id) =>
    (await call(api.m.http, "GET", `/oapi/v1/jobs/${id}`, api.jobToken)).json as JobJson;
  api.settled = async (id, timeoutMs = 15_000) => {
    await waitFor(
      `job ${id} settled`,
      async () => (await api.getJob(id)).state !== "PENDING",
      timeoutMs,
      50,
    );
    return api.getJob(id);
  };

  beforeAll(async () => {
    api.m = await startTestManager({
      graceSeconds: 2,
      reassignSeconds: 1,
      tickMs: 200,
      legacyPreheatApi: true,
    });
    api.root = await signIn(api.m.http, "root", ROOT_PASSWORD);
    api.registry = await startMiniRegistry();
    api.jobToken = await token("harbor", ["job"]);
    api.clusterToken = await token("ops", ["cluster"]);
  });

  afterEach(async () => {
    await waitFor(
      "no active scheduler and no pending job",
      async () => {
        const db = api.m.services.db;
        const live = await db
          .select()
          .from(schedulers)
          .where(and(eq(schedulers.schedulerClusterId, 1), eq(schedulers.state, "active")));
        const pending = await db.select().from(jobs).where(eq(jobs.state, "PENDING"));
        return live.length === 0 && pending.length === 0;
      },
      15_000,
      50,
    );
  });

  afterAll(async () => {
    await api.registry?.close();
    await api.m?.stop();
  });

  return api;
}
