import { describe, expect, it } from "vitest";

import { waitFor } from "@df/testkit";

import { JobState, startFakeScheduler } from "./support/fake-scheduler";
import { call } from "./support/http";
import { harborBody, useJobApi, type JobJson } from "./support/job-api";
import { PASSWORD, USER } from "./support/mini-registry";

const api = useJobApi();
const { getJob, settled } = api;

describe("job API: Harbor's preheat calls and the legacy v1 API", () => {
  it("runs Harbor's sequence: resolves the image with the given token, dispatches, aggregates", async () => {
    const layer = `sha256:${"a".repeat(64)}`;
    const config = `sha256:${"c".repeat(64)}`;
    api.registry.put(
      "lib/app",
      "v1",
      { schemaVersion: 2, config: { digest: config }, layers: [{ digest: layer }] },
      "application/vnd.oci.image.manifest.v1+json",
    );
    const s = await startFakeScheduler(api.m.grpc, "sched-harbor");
    // Harbor 2.12 still sends its own scope names; an unknown scope means a single seed peer.
    const harbor212 = harborBody(
      `${api.registry.base}/v2/lib/app/manifests/v1`,
      null,
      api.registry.token,
    );
    harbor212.args.scope = "single_peer";
    try {
      const res = await call(api.m.http, "POST", "/oapi/v1/jobs", api.jobToken, harbor212);
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
        `${api.registry.base}/v2/lib/app/blobs/${config}`,
        `${api.registry.base}/v2/lib/app/blobs/${layer}`,
      ]);
      expect(args.headers.Authorization).toBe(`Bearer ${api.registry.token}`);
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
    const arm = api.registry.put(
      "lib/multi",
      "arm",
      { schemaVersion: 2, config: { digest: `sha256:${"1".repeat(64)}` }, layers: [] },
      "application/vnd.oci.image.manifest.v1+json",
    );
    const amd = api.registry.put(
      "lib/multi",
      "amd",
      {
        schemaVersion: 2,
        config: { digest: `sha256:${"2".repeat(64)}` },
        layers: [{ digest: `sha256:${"3".repeat(64)}` }],
      },
      "application/vnd.oci.image.manifest.v1+json",
    );
    api.registry.put(
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
    const s = await startFakeScheduler(api.m.grpc, "sched-index");
    try {
      const body = {
        type: "preheat",
        args: {
          type: "image",
          url: `${api.registry.base}/v2/lib/multi/manifests/latest`,
          username: USER,
          password: PASSWORD,
        },
        scheduler_cluster_ids: [1],
      };
      const res = await call(api.m.http, "POST", "/api/v1/jobs", api.root, body);
      expect(res.status).toBe(200);
      const job = await s.nextJob(0);
      const args = JSON.parse(job.argsJson) as { urls: string[]; headers: Record<string, string> };
      expect(args.urls.map((u) => u.slice(-3))).toEqual(["222", "333"]);
      expect(args.headers.Authorization).toBe(`Bearer ${api.registry.token}`);
      await s.report(job, JobState.JOB_STATE_SUCCESS, { success_tasks: [], failure_tasks: [] });
      expect((await settled((res.json as JobJson).id)).state).toBe("SUCCESS");

      const bad = await call(api.m.http, "POST", "/api/v1/jobs", api.root, {
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

  it("serves the legacy v1 preheat API when enabled", async () => {
    expect((await call(api.m.http, "GET", "/_ping")).status).toBe(200);
    const res = await call(api.m.http, "POST", "/preheats", api.jobToken, {
      type: "image",
      url: `${api.registry.base}/v2/lib/app/manifests/v1`,
      headers: {},
    });
    expect(res.status).toBe(200);
    const { ID } = res.json as { ID: string };
    await waitFor("legacy preheat failed", async () => {
      const s = await call(api.m.http, "GET", `/preheats/${ID}`, api.jobToken);
      return (s.json as { status: string }).status === "FAIL";
    });
    const s = await call(api.m.http, "GET", `/preheats/${ID}`, api.jobToken);
    expect((s.json as { errorMsg: string }).errorMsg).toMatch(/no active scheduler/);
  });
});
