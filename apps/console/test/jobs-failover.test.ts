import { describe, expect, it } from "vitest";

import { JobState, startFakeScheduler } from "./support/fake-scheduler";
import { call } from "./support/http";
import { fileBody, useJobApi, type JobJson } from "./support/job-api";

const api = useJobApi();
const { getJob, settled } = api;

describe("job API: a scheduler that dies mid-job", () => {
  it("moves a part to another scheduler when its scheduler dies, and ignores the late report", async () => {
    const a = await startFakeScheduler(api.m.grpc, "sched-a");
    const b = await startFakeScheduler(api.m.grpc, "sched-b");
    try {
      const res = await call(
        api.m.http,
        "POST",
        "/oapi/v1/jobs",
        api.jobToken,
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
    const c = await startFakeScheduler(api.m.grpc, "sched-c");
    const res = await call(
      api.m.http,
      "POST",
      "/oapi/v1/jobs",
      api.jobToken,
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
});
