import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { credentials, Metadata } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { SchedulerClient } from "@df/proto/scheduler/v2";
import { freePort, harborPreheatBody, waitFor } from "@df/testkit";

import { call, signIn, type Credential } from "../../console/test/support/http";
import { dfget, startDaemon, type TestDaemon } from "../../dfdaemon/test/support/daemon";
import { randomContent, startOrigin, type Origin } from "../../dfdaemon/test/support/origin";
import { startManagerProcess, type ManagerProcess } from "./support/manager-process";
import {
  makeImage,
  PASSWORD,
  startOciRegistry,
  USER,
  type OciRegistry,
} from "./support/oci-registry";
import { logged, startLinkedScheduler, type LinkedScheduler } from "./support/scheduler-process";

const MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const INDEX = "application/vnd.oci.image.index.v1+json";

let registry: OciRegistry;
let origin: Origin;
let m: ManagerProcess;
let sched: LinkedScheduler;
let seed: TestDaemon;
let peers: TestDaemon[];
let pat: Credential;
let out: string;
const app = makeImage([1_500_000, 700_000, 90_000]);

/** JobJson is what the tests read of a job, as Harbor does. */
interface JobJson {
  id: number;
  state: string;
  result: {
    job_states: Array<{
      error: string;
      results: Array<{
        success_tasks?: Array<{ url: string; hostname: string; ip: string }>;
        failure_tasks?: Array<{ url: string; hostname: string; description: string }>;
        peers?: Array<{ hostname: string; host_type: string; state: string }>;
      } | null>;
    }>;
  } | null;
}

/** createJob posts a job on the open API with the job-scoped token. */
async function createJob(body: unknown): Promise<number> {
  const res = await call(m.http, "POST", "/oapi/v1/jobs", pat, body);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return (res.json as JobJson).id;
}

/** pollJob polls GET /oapi/v1/jobs/{id} like Harbor until it leaves PENDING. */
async function pollJob(id: number, timeoutMs = 90_000): Promise<JobJson> {
  let job: JobJson | undefined;
  await waitFor(
    `job ${id} done`,
    async () => {
      const res = await call(m.http, "GET", `/oapi/v1/jobs/${id}`, pat).catch(() => undefined);
      if (res?.status === 200) job = res.json as JobJson;
      return job !== undefined && job.state !== "PENDING";
    },
    timeoutMs,
    250,
  );
  if (!job) throw new Error("no job");
  return job;
}

/** errorsOf joins the per-cluster errors, as Harbor does for a FAILURE. */
const errorsOf = (job: JobJson) => job.result?.job_states.map((s) => s.error).join("; ") ?? "";

/** hostKnown tells whether the scheduler knows the daemon's host. */
function hostKnown(name: string, isSeed: boolean): Promise<boolean> {
  const hostId = createHash("sha256")
    .update(`127.0.0.1-${name}${isSeed ? "-seed" : ""}`)
    .digest("hex");
  const client = new SchedulerClient(sched.addr, credentials.createInsecure());
  return new Promise((resolve) =>
    client.statHost({ hostId }, new Metadata(), (err) => {
      client.close();
      resolve(!err);
    }),
  );
}

beforeAll(async () => {
  registry = await startOciRegistry();
  await registry.push("lib/app", "v1", app.blobs, app.manifest, MANIFEST);
  origin = await startOrigin();
  out = mkdtempSync(join(tmpdir(), "df-preheat-out-"));
  m = await startManagerProcess("preheat-manager");
  sched = await startLinkedScheduler("preheat-sched", m.grpc, [
    "--manager.keepAliveIntervalSeconds=1",
  ]);
  await logged(sched.proc, /subscribed to jobs/);
  const flags = [`--scheduler.addrs=${sched.addr}`];
  seed = await startDaemon("preheat-seed", [...flags, "--seedPeer.enable=true"]);
  peers = await Promise.all([0, 1].map((i) => startDaemon(`preheat-peer-${i}`, flags)));
  await waitFor(
    "scheduler knows every host",
    async () => {
      const known = await Promise.all([
        hostKnown("preheat-seed", true),
        ...[0, 1].map((i) => hostKnown(`preheat-peer-${i}`, false)),
      ]);
      return known.every(Boolean);
    },
    30_000,
  );
  const root = await signIn(m.http, "root", "root-pass-123");
  const expiredAt = new Date(Date.now() + 86_400_000).toISOString();
  const res = await call(m.http, "POST", "/api/v1/personal-access-tokens", root, {
    name: "harbor",
    scopes: ["job"],
    expiredAt,
  });
  pat = { token: (res.json as { token: string }).token };
}, 240_000);

afterAll(async () => {
  await Promise.all([...(peers ?? []), seed].map((d) => d?.stop()));
  await sched?.stop();
  await m?.destroy();
  await Promise.all([registry?.close(), origin?.close()]);
}, 60_000);

describe("preheat through manager, scheduler and seed peer", () => {
  it("follows Harbor's sequence: an image from a real registry lands on the seed; peers then pull without the origin", async () => {
    expect((await fetch(`${m.http}/healthy`)).status).toBe(200);
    const manifest = `${registry.url}/v2/lib/app/manifests/v1`;
    const job = await pollJob(
      await createJob(harborPreheatBody(manifest, `Bearer ${registry.token("lib/app")}`)),
    );
    expect(job.state, errorsOf(job)).toBe("SUCCESS");
    const blobUrls = app.digests.map((d) => `${registry.url}/v2/lib/app/blobs/${d}`);
    const done = job.result?.job_states[0]?.results[0]?.success_tasks ?? [];
    expect(done.map((t) => t.url).sort()).toEqual([...blobUrls].sort());
    expect(done.every((t) => t.hostname === "preheat-seed")).toBe(true);
    const served = app.digests.map((d) => registry.blobGets(d));
    expect(served.every((n) => n >= 1)).toBe(true);

    // Peers pulling the blobs are served by the seed: the registry sees no further request.
    const auth = `Authorization: Bearer ${registry.token("lib/app")}`;
    for (const [i, url] of blobUrls.entries()) {
      const peer = peers[i % peers.length];
      if (!peer) throw new Error("no peer");
      const r = await dfget(peer.socket, [url, "-O", join(out, `blob-${i}`), "-H", auth]);
      expect(r.code, r.output).toBe(0);
      expect(readFileSync(join(out, `blob-${i}`)).equals(app.blobs[i] ?? Buffer.alloc(0))).toBe(
        true,
      );
    }
    expect(app.digests.map((d) => registry.blobGets(d))).toEqual(served);
  }, 120_000);

  it("resolves an image index to the requested platform with username and password, on all seed peers", async () => {
    const arm = makeImage([300_000], { os: "linux", architecture: "arm64" });
    const amd = makeImage([200_000], { os: "linux", architecture: "amd64" });
    const armDigest = await registry.push("lib/multi", "arm64", arm.blobs, arm.manifest, MANIFEST);
    const amdDigest = await registry.push("lib/multi", "amd64", amd.blobs, amd.manifest, MANIFEST);
    const index = {
      schemaVersion: 2,
      mediaType: INDEX,
      manifests: [
        {
          mediaType: MANIFEST,
          digest: amdDigest,
          size: 1,
          platform: { os: "linux", architecture: "amd64" },
        },
        {
          mediaType: MANIFEST,
          digest: armDigest,
          size: 1,
          platform: { os: "linux", architecture: "arm64" },
        },
      ],
    };
    await registry.push("lib/multi", "latest", [], index, INDEX);
    const id = await createJob({
      type: "preheat",
      args: {
        type: "image",
        url: `${registry.url}/v2/lib/multi/manifests/latest`,
        username: USER,
        password: PASSWORD,
        platform: "linux/arm64",
        scope: "all_seed_peers",
      },
      scheduler_cluster_ids: [1],
    });
    const job = await pollJob(id);
    expect(job.state, errorsOf(job)).toBe("SUCCESS");
    expect(job.result?.job_states[0]?.results[0]?.success_tasks).toHaveLength(arm.blobs.length);
    expect(arm.digests.every((d) => registry.blobGets(d) >= 1)).toBe(true);
    expect(amd.digests.map((d) => registry.blobGets(d))).toEqual([0, 0]);
  }, 120_000);

  it("fails with the reason when the registry is unreachable or answers 401", async () => {
    const closed = await freePort();
    const unreachable = await pollJob(
      await createJob(
        harborPreheatBody(`http://127.0.0.1:${closed}/v2/lib/app/manifests/v1`, "Bearer x"),
      ),
    );
    expect(unreachable.state).toBe("FAILURE");
    expect(errorsOf(unreachable)).toMatch(
      new RegExp(`cannot reach registry 127\\.0\\.0\\.1:${closed}: ECONNREFUSED`),
    );
    const refused = await pollJob(
      await createJob(
        harborPreheatBody(`${registry.url}/v2/lib/app/manifests/v1`, "Bearer not-a-token"),
      ),
    );
    expect(refused.state).toBe("FAILURE");
    expect(errorsOf(refused)).toMatch(/answered 401 for manifest lib\/app:v1/);
    const badPassword = await pollJob(
      await createJob({
        type: "preheat",
        args: {
          type: "image",
          url: `${registry.url}/v2/lib/app/manifests/v1`,
          username: USER,
          password: "wrong",
        },
        scheduler_cluster_ids: null,
      }),
    );
    expect(errorsOf(badPassword)).toMatch(
      /token service .* answered 401: the credentials were refused/,
    );
  }, 60_000);

  it("finds a preheated task on the peers that hold it and deletes its cache everywhere", async () => {
    const blob = `${registry.url}/v2/lib/app/blobs/${app.digests[1] ?? ""}`;
    const found = await pollJob(await createJob({ type: "get_task", args: { url: blob } }));
    expect(found.state, errorsOf(found)).toBe("SUCCESS");
    const holders = found.result?.job_states[0]?.results[0]?.peers ?? [];
    expect(holders.map((p) => p.hostname).sort()).toEqual(["preheat-peer-1", "preheat-seed"]);
    expect(holders.find((p) => p.hostname === "preheat-seed")).toMatchObject({
      host_type: "seed",
      state: "Succeeded",
    });

    const deleted = await pollJob(await createJob({ type: "delete_task", args: { url: blob } }));
    expect(deleted.state, errorsOf(deleted)).toBe("SUCCESS");
    expect(deleted.result?.job_states[0]?.results[0]?.success_tasks).toHaveLength(2);
    const again = await pollJob(await createJob({ type: "get_task", args: { url: blob } }));
    expect(again.result?.job_states[0]?.results[0]?.peers).toEqual([]);
  }, 60_000);

  it("survives a manager restart mid-job: the job still finishes, run once", async () => {
    const file = randomContent(6 * 1024 * 1024);
    origin.set("/slow.bin", { data: file.data, bytesPerSecond: 1024 * 1024 });
    const id = await createJob({
      type: "preheat",
      args: { type: "file", urls: [origin.url("/slow.bin")] },
      scheduler_cluster_ids: [1],
    });
    await waitFor(
      "seed started the download",
      async () => origin.bytesServed("/slow.bin") > 0,
      30_000,
    );
    await m.stop();
    expect(origin.bytesServed("/slow.bin")).toBeLessThan(file.data.length);
    await new Promise((r) => setTimeout(r, 1_500));
    await m.restart();
    const job = await pollJob(id);
    expect(job.state, errorsOf(job)).toBe("SUCCESS");
    expect(job.result?.job_states[0]?.results[0]?.success_tasks).toEqual([
      { url: origin.url("/slow.bin"), hostname: "preheat-seed", ip: "127.0.0.1" },
    ]);
    const started =
      sched.proc.output().match(new RegExp(`job started .*job=${id}:1:\\d+`, "g")) ?? [];
    expect(started).toHaveLength(1);
    expect(origin.bytesServed("/slow.bin")).toBeLessThanOrEqual(file.data.length * 1.05);
  }, 120_000);
});
