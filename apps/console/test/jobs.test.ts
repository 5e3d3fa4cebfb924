import { describe, expect, it } from "vitest";

import { audits, jobs } from "@df/db";

import { call, type Credential } from "./support/http";
import { fileBody, harborBody, useJobApi, type JobJson } from "./support/job-api";

const api = useJobApi();
const { jobCount, settled } = api;

describe("job API: validation, no scheduler, secrets, rate limits", () => {
  it("refuses bad inputs with a clear 4xx and stores nothing", async () => {
    const before = await jobCount();
    const url = `${api.registry.base}/v2/lib/app/manifests/v1`;
    const cases: Array<[Credential, unknown, number, RegExp]> = [
      [
        api.jobToken,
        { ...harborBody(url, null), type: "warmup" },
        400,
        /^type: must be one of preheat, get_task, delete_task/,
      ],
      [
        api.jobToken,
        harborBody("https://registry/not-a-manifest", null),
        400,
        /^args\.url: must be a manifest URL/,
      ],
      [
        api.jobToken,
        fileBody(["ftp://origin/file"]),
        400,
        /^args\.urls\.0: must be an absolute http/,
      ],
      [api.jobToken, fileBody([]), 400, /^args\.urls: name at least one URL/],
      [
        api.jobToken,
        harborBody(url, [1, 999]),
        400,
        /^scheduler_cluster_ids: scheduler cluster 999 does not exist/,
      ],
      [api.clusterToken, harborBody(url, null), 403, /write permission on jobs is required/],
      [null, harborBody(url, null), 401, /Bearer <personal access token>/],
      [{ token: "dfp_unknown" }, harborBody(url, null), 401, /Bearer/],
      [api.root, harborBody(url, null), 401, /Bearer/],
    ];
    for (const [who, body, status, message] of cases) {
      const res = await call(api.m.http, "POST", "/oapi/v1/jobs", who, body);
      expect(res.status, JSON.stringify(res.json)).toBe(status);
      expect((res.json as { message: string }).message).toMatch(message);
    }
    expect(await jobCount()).toBe(before);
  });

  it("fails a job at once, with the reason, when its cluster has no active scheduler", async () => {
    expect((await fetch(`${api.m.http}/healthy`)).status).toBe(200);
    const res = await call(
      api.m.http,
      "POST",
      "/oapi/v1/jobs",
      api.jobToken,
      harborBody(`${api.registry.base}/v2/a/manifests/1`, null),
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

  it("never returns, stores or audits credentials in clear", async () => {
    const secret = "Bearer very-secret-token-42";
    const body = fileBody(["http://origin.example/f.bin"], {
      headers: { Authorization: secret },
      username: "u",
      password: "hunter2-secret",
    });
    const res = await call(api.m.http, "POST", "/api/v1/jobs", api.root, body);
    const job = res.json as JobJson;
    expect(job.args.headers).toEqual({ Authorization: "[redacted]" });
    expect(JSON.stringify(job)).not.toMatch(/very-secret|hunter2|sealed/);
    const listed = await call(api.m.http, "GET", "/api/v1/jobs", api.root);
    expect(JSON.stringify(listed.json)).not.toMatch(/very-secret|hunter2|sealed/);
    const stored = JSON.stringify(await api.m.services.db.select().from(jobs));
    expect(stored).not.toMatch(/very-secret|hunter2/);
    const audited = JSON.stringify(await api.m.services.db.select().from(audits));
    expect(audited).not.toMatch(/very-secret|hunter2/);
  });

  it("limits job creation per named cluster with 429", async () => {
    await call(api.m.http, "PATCH", "/api/v1/scheduler-clusters/1", api.root, {
      config: { job_rate_limit: 1 },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (
          await call(
            api.m.http,
            "POST",
            "/oapi/v1/jobs",
            api.jobToken,
            fileBody([`http://o.example/${i}`]),
          )
        ).status,
      );
    expect(statuses).toContain(429);
    const limited = await call(
      api.m.http,
      "POST",
      "/oapi/v1/jobs",
      api.jobToken,
      fileBody(["http://o.example/x"]),
    );
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ message: "rate limit exceeded" });
    expect(limited.headers.get("retry-after")).toBe("1");
    await call(api.m.http, "PATCH", "/api/v1/scheduler-clusters/1", api.root, {
      config: { job_rate_limit: 10 },
    });
  });
});
