import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { audits, jobs, schedulers } from "@df/db";
import { waitFor } from "@df/testkit";

import { JobState, startFakeScheduler } from "./support/fake-scheduler";
import { call, signIn, type Credential } from "./support/http";
import { ROOT_PASSWORD, startTestManager, type TestManager } from "./support/manager";
import { PASSWORD, startMiniRegistry, USER, type MiniRegistry } from "./support/mini-registry";

let m: TestManager;
let root: Credential;
let registry: MiniRegistry;
let jobToken: Credential;
let clusterToken: Credential;

/** JobJson is the part of a job's REST body the tests read. */
interface JobJson {
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

/** harborBody is exactly what Harbor's preheat provider posts: every args key, zero values included. */
const harborBody = (url: string, clusterIds: number[] | null, token = "harbor-pull") => ({
  type: "preheat",
  args: {
    type: "image",
    url,
    tag: "",
    filtered_query_params: "",
    headers: { Authorization: `Bearer ${token}` },
    scope: "single_seed_peer",
    concurrent_count: 0,
    timeout: 0,
  },
  scheduler_cluster_ids: clusterIds,
});

/** fileBody is a file preheat of `urls` on cluster 1. */
const fileBody = (urls: string[], extra: Record<string, unknown> = {}) => ({
  type: "preheat",
  args: { type: "file", urls, ...extra },
  scheduler_cluster_ids: [1],
});

/** token creates a personal access token of root with `scopes`. */
async function token(name: string, scopes: string[]): Promise<Credential> {
  const expiredAt = new Date(Date.now() + 86_400_000).toISOString();
  const res = await call(m.http, "POST", "/api/v1/personal-access-tokens", root, {
    name,
    scopes,
    expiredAt,
  });
  return { token: (res.json as { token: string }).token };
}

/** jobCount is the number of stored jobs. */
const jobCount = async () => (await m.services.db.select().from(jobs)).length;

/** getJob reads a job over the open API. */
const getJob = async (id: number) =>
  (await call(m.http, "GET", `/oapi/v1/jobs/${id}`, jobToken)).json as JobJson;

/** settled polls a job like Harbor does until it leaves PENDING. */
const settled = async (id: number, timeoutMs = 15_000): Promise<JobJson> => {
  await waitFor(
    `job ${id} settled`,
    async () => (await getJob(id)).state !== "PENDING",
    timeoutMs,
    50,
  );
  return getJob(id);
};

beforeAll(async () => {
  m = await startTestManager({
    graceSeconds: 2,
    reassignSeconds: 1,
    tickMs: 200,
    legacyPreheatApi: true,
  });
  root = await signIn(m.http, "root", ROOT_PASSWORD);
  registry = await startMiniRegistry();
  jobToken = await token("harbor", ["job"]);
  clusterToken = await token("ops", ["cluster"]);
});

// Each test starts from a quiet manager: the fake schedulers a test stopped are marked inactive
// (their KeepAlive close reaches the manager a moment later) and its jobs have settled, so a
// later test neither receives an earlier test's job nor sees a scheduler that is going away.
afterEach(async () => {
  await waitFor(
    "no active scheduler and no pending job",
    async () => {
      const db = m.services.db;
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
  await registry?.close();
  await m?.stop();
});

describe("job API", () => {
  it("refuses bad inputs with a clear 4xx and stores nothing", async () => {
    const before = await jobCount();
    const url = `${registry.base}/v2/lib/app/manifests/v1`;
    const cases: Array<[Credential, unknown, number, RegExp]> = [
      [
        jobToken,
        { ...harborBody(url, null), type: "warmup" },
        400,
        /^type: must be one of preheat, get_task, delete_task/,
      ],
      [
        jobToken,
        harborBody("https://registry/not-a-manifest", null),
        400,
        /^args\.url: must be a manifest URL/,
      ],
      [jobToken, fileBody(["ftp://origin/file"]), 400, /^args\.urls\.0: must be an absolute http/],
      [jobToken, fileBody([]), 400, /^args\.urls: name at least one URL/],
      [
        jobToken,
        harborBody(url, [1, 999]),
        400,
        /^scheduler_cluster_ids: scheduler cluster 999 does not exist/,
      ],
      [clusterToken, harborBody(url, null), 403, /write permission on jobs is required/],
      [null, harborBody(url, null), 401, /Bearer <personal access token>/],
      [{ token: "dfp_unknown" }, harborBody(url, null), 401, /Bearer/],
      [root, harborBody(url, null), 401, /Bearer/],
    ];
    for (const [who, body, status, message] of cases) {
      const res = await call(m.http, "POST", "/oapi/v1/jobs", who, body);
      expect(res.status, JSON.stringify(res.json)).toBe(status);
      expect((res.json as { message: string }).message).toMatch(message);
    }
    expect(await jobCount()).toBe(before);
  });

  it("fails a job at once, with the reason, when its cluster has no active scheduler", async () => {
    expect((await fetch(`${m.http}/healthy`)).status).toBe(200);
    const res = await call(
      m.http,
      "POST",
      "/oapi/v1/jobs",
      jobToken,
      harborBody(`${registry.base}/v2/a/manifests/1`, null),
    );
    expect(res.status).toBe(200);
    const job = res.json as JobJson & { created_at: string };
    expect(job.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const done = await settled(job.id);
    expect(done.state).toBe("FAILURE");
    expect(done.result?.job_states[0]?.error).toMatch(
      /^no active scheduler in scheduler cluster 1 /,
    );
  });

  it("runs Harbor's sequence: resolves the image with the given token, dispatches, aggregates", async () => {
    const layer = `sha256:${"a".repeat(64)}`;
    const config = `sha256:${"c".repeat(64)}`;
    registry.put(
      "lib/app",
      "v1",
      { schemaVersion: 2, config: { digest: config }, layers: [{ digest: layer }] },
      "application/vnd.oci.image.manifest.v1+json",
    );
    const s = await startFakeScheduler(m.grpc, "sched-harbor");
    // Harbor 2.12 still sends its own scope names; an unknown scope means a single seed peer.
    const harbor212 = harborBody(`${registry.base}/v2/lib/app/manifests/v1`, null, registry.token);
    harbor212.args.scope = "single_peer";
    try {
      const res = await call(m.http, "POST", "/oapi/v1/jobs", jobToken, harbor212);
      expect(res.status).toBe(200);
      const { id } = res.json as JobJson;
      expect((res.json as JobJson).args.scope).toBe("single_seed_peer");
      const job = await s.nextJob(0);
      const args = JSON.parse(job.argsJson) as {
        urls: string[];
        headers: Record<string, string>;
        scope: string;
      };
      expect(args.urls).toEqual([
        `${registry.base}/v2/lib/app/blobs/${config}`,
        `${registry.base}/v2/lib/app/blobs/${layer}`,
      ]);
      expect(args.headers.Authorization).toBe(`Bearer ${registry.token}`);
      expect(args.scope).toBe("single_seed_peer");
      expect(job.timeoutMs).toBe(3_600_000);
      expect((await getJob(id)).state).toBe("PENDING");
      const success_tasks = args.urls.map((url) => ({ url, hostname: "seed-1", ip: "127.0.0.1" }));
      await s.report(job, JobState.JOB_STATE_RUNNING, { success_tasks: [], failure_tasks: [] });
      expect((await getJob(id)).state).toBe("PENDING");
      await s.report(job, JobState.JOB_STATE_SUCCESS, {
        success_tasks,
        failure_tasks: [],
        scheduler_cluster_id: 1,
      });
      const done = await settled(id);
      expect(done.state).toBe("SUCCESS");
      expect(done.result?.job_states[0]?.results).toEqual([
        { success_tasks, failure_tasks: [], scheduler_cluster_id: 1 },
      ]);
    } finally {
      s.die();
    }
  });

  it("resolves an image index to the platform through the registry's Bearer challenge", async () => {
    const arm = registry.put(
      "lib/multi",
      "arm",
      { schemaVersion: 2, config: { digest: `sha256:${"1".repeat(64)}` }, layers: [] },
      "application/vnd.oci.image.manifest.v1+json",
    );
    const amd = registry.put(
      "lib/multi",
      "amd",
      {
        schemaVersion: 2,
        config: { digest: `sha256:${"2".repeat(64)}` },
        layers: [{ digest: `sha256:${"3".repeat(64)}` }],
      },
      "application/vnd.oci.image.manifest.v1+json",
    );
    registry.put(
      "lib/multi",
      "latest",
      {
        schemaVersion: 2,
        manifests: [
          { digest: arm, platform: { os: "linux", architecture: "arm64" } },
          { digest: amd, platform: { os: "linux", architecture: "amd64" } },
        ],
      },
      "application/vnd.oci.image.index.v1+json",
    );
    const s = await startFakeScheduler(m.grpc, "sched-index");
    try {
      const body = {
        type: "preheat",
        args: {
          type: "image",
          url: `${registry.base}/v2/lib/multi/manifests/latest`,
          username: USER,
          password: PASSWORD,
        },
        scheduler_cluster_ids: [1],
      };
      const res = await call(m.http, "POST", "/api/v1/jobs", root, body);
      expect(res.status).toBe(200);
      const job = await s.nextJob(0);
      const args = JSON.parse(job.argsJson) as { urls: string[]; headers: Record<string, string> };
      expect(args.urls.map((u) => u.slice(-3))).toEqual(["222", "333"]);
      expect(args.headers.Authorization).toBe(`Bearer ${registry.token}`);
      await s.report(job, JobState.JOB_STATE_SUCCESS, { success_tasks: [], failure_tasks: [] });
      expect((await settled((res.json as JobJson).id)).state).toBe("SUCCESS");

      const bad = await call(m.http, "POST", "/api/v1/jobs", root, {
        ...body,
        args: { ...body.args, password: "wrong" },
      });
      const failed = await settled((bad.json as JobJson).id);
      expect(failed.state).toBe("FAILURE");
      expect(failed.result?.job_states[0]?.error).toMatch(
        /token service .* answered 401: the credentials were refused/,
      );
      expect(s.jobs).toHaveLength(1);
    } finally {
      s.die();
    }
  });

  it("never returns, stores or audits credentials in clear", async () => {
    const secret = "Bearer very-secret-token-42";
    const body = fileBody(["http://origin.example/f.bin"], {
      headers: { Authorization: secret },
      username: "u",
      password: "hunter2-secret",
    });
    const res = await call(m.http, "POST", "/api/v1/jobs", root, body);
    const job = res.json as JobJson;
    expect(job.args.headers).toEqual({ Authorization: "[redacted]" });
    expect(JSON.stringify(job)).not.toMatch(/very-secret|hunter2|sealed/);
    const listed = await call(m.http, "GET", "/api/v1/jobs", root);
    expect(JSON.stringify(listed.json)).not.toMatch(/very-secret|hunter2|sealed/);
    const stored = JSON.stringify(await m.services.db.select().from(jobs));
    expect(stored).not.toMatch(/very-secret|hunter2/);
    const audited = JSON.stringify(await m.services.db.select().from(audits));
    expect(audited).not.toMatch(/very-secret|hunter2/);
  });

  it("moves a part to another scheduler when its scheduler dies, and ignores the late report", async () => {
    const a = await startFakeScheduler(m.grpc, "sched-a");
    const b = await startFakeScheduler(m.grpc, "sched-b");
    try {
      const res = await call(
        m.http,
        "POST",
        "/oapi/v1/jobs",
        jobToken,
        fileBody(["http://origin.example/a.bin"]),
      );
      const { id } = res.json as JobJson;
      const first = await a.nextJob(0);
      expect(first.id).toBe(`${id}:1:1`);
      a.die();
      const second = await b.nextJob(0);
      expect(second.id).toBe(`${id}:1:2`);
      await b.report(first, JobState.JOB_STATE_SUCCESS, { success_tasks: [] });
      expect((await getJob(id)).state).toBe("PENDING");
      await b.report(
        second,
        JobState.JOB_STATE_FAILURE,
        { failure_tasks: [] },
        "seed download failed: 502",
      );
      const done = await settled(id);
      expect(done.state).toBe("FAILURE");
      expect(done.result?.job_states[0]?.error).toBe("seed download failed: 502");
    } finally {
      b.die();
    }
  });

  it("fails a part with the reason when its only scheduler dies mid-job", async () => {
    const c = await startFakeScheduler(m.grpc, "sched-c");
    const res = await call(
      m.http,
      "POST",
      "/oapi/v1/jobs",
      jobToken,
      fileBody(["http://origin.example/c.bin"]),
    );
    const { id } = res.json as JobJson;
    await c.nextJob(0);
    c.die();
    const done = await settled(id);
    expect(done.result?.job_states[0]?.error).toMatch(
      /^scheduler sched-c \(127\.0\.0\.1\) of scheduler cluster 1 went away mid-job and no other scheduler took over within 2 s/,
    );
  });

  it("limits job creation per named cluster with 429", async () => {
    await call(m.http, "PATCH", "/api/v1/scheduler-clusters/1", root, {
      config: { job_rate_limit: 1 },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await call(m.http, "POST", "/oapi/v1/jobs", jobToken, fileBody([`http://o.example/${i}`])))
          .status,
      );
    expect(statuses).toContain(429);
    const limited = await call(
      m.http,
      "POST",
      "/oapi/v1/jobs",
      jobToken,
      fileBody(["http://o.example/x"]),
    );
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ message: "rate limit exceeded" });
    expect(limited.headers.get("retry-after")).toBe("1");
    await call(m.http, "PATCH", "/api/v1/scheduler-clusters/1", root, {
      config: { job_rate_limit: 10 },
    });
  });

  it("serves the legacy v1 preheat API when enabled", async () => {
    expect((await call(m.http, "GET", "/_ping")).status).toBe(200);
    const res = await call(m.http, "POST", "/preheats", jobToken, {
      type: "image",
      url: `${registry.base}/v2/lib/app/manifests/v1`,
      headers: {},
    });
    expect(res.status).toBe(200);
    const { ID } = res.json as { ID: string };
    await waitFor("legacy preheat failed", async () => {
      const s = await call(m.http, "GET", `/preheats/${ID}`, jobToken);
      return (s.json as { status: string }).status === "FAIL";
    });
    const s = await call(m.http, "GET", `/preheats/${ID}`, jobToken);
    expect((s.json as { errorMsg: string }).errorMsg).toMatch(/no active scheduler/);
  });
});
