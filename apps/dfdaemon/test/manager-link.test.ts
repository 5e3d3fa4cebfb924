import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { httpOk, waitFor } from "@df/testkit";

import {
  clusterRevision,
  componentRow,
  saveClusterConfig,
  startManagerProcess,
  type ManagerProcess,
} from "../../scheduler/test/support/manager-process";
import {
  logged,
  startLinkedScheduler,
  type LinkedScheduler,
} from "../../scheduler/test/support/scheduler-process";
import { dfget, startDaemon, type TestDaemon } from "./support/daemon";
import { randomContent, startOrigin, type Origin } from "./support/origin";

const MIB = 1024 * 1024;
/** RATE is the download_rate_limit pushed to the daemons. */
const RATE = 2 * MIB;
/** PUSH_DEADLINE_MS bounds how long a saved config may take to be applied (~1 s, slack for load). */
const PUSH_DEADLINE_MS = 3_000;

let m: ManagerProcess;
let sched: LinkedScheduler;
let seed: TestDaemon;
let peer: TestDaemon;
let origin: Origin;
let out: string;

/** healthy tells whether a daemon answers on its health port. */
const healthy = (d: TestDaemon) => {
  const port = d.args.find((a) => a.startsWith("--health.port="))?.split("=")[1];
  return httpOk(`http://127.0.0.1:${port}/healthy`);
};

/** kept reads a daemon's dynconfig.json. */
const kept = (d: TestDaemon) =>
  JSON.parse(readFileSync(join(d.dataDir, "dynconfig.json"), "utf8")) as {
    revision: number;
    client_config: { download_rate_limit: number } | null;
    schedulers: string[];
  };

/** seedShows waits until the manager lists the seed peer active with `revision` applied. */
const seedShows = (revision: number, timeoutMs = 30_000) =>
  waitFor(
    `seed peer active with revision ${revision} applied`,
    async () => {
      const row = await componentRow(m, "seed-peers", "link-seed");
      return row?.state === "active" && row.appliedRevision === revision;
    },
    timeoutMs,
  );

/** timedDownload fetches `size` fresh bytes through `d` and resolves with the seconds it took. */
async function timedDownload(d: TestDaemon, path: string, size: number): Promise<number> {
  const file = randomContent(size);
  origin.set(path, { data: file.data });
  const started = performance.now();
  const r = await dfget(d.socket, [
    origin.url(path),
    "-O",
    join(out, path),
    "--digest",
    file.sha256,
  ]);
  expect(r.code, r.output).toBe(0);
  return (performance.now() - started) / 1000;
}

beforeAll(async () => {
  m = await startManagerProcess();
  sched = await startLinkedScheduler("link-dfd-sched", m.grpc);
  await waitFor("scheduler active", async () => {
    return (await componentRow(m, "schedulers", "link-dfd-sched"))?.state === "active";
  });
  origin = await startOrigin();
  out = mkdtempSync(join(tmpdir(), "df-link-out-"));
  const link = `--manager.addr=${m.grpc}`;
  [seed, peer] = await Promise.all([
    startDaemon("link-seed", [link, "--seedPeer.enable=true"]),
    startDaemon("link-peer", [link]),
  ]);
}, 240_000);

afterAll(async () => {
  await Promise.all([peer?.stop(), seed?.stop(), sched?.stop()]);
  await origin?.close();
  await m?.destroy();
}, 60_000);

describe("dfdaemon manager link", () => {
  it("registers the seed peer active with the cluster revision applied, and learns the schedulers", async () => {
    const revision = await clusterRevision(m);
    await seedShows(revision);
    for (const d of [seed, peer]) {
      await logged(d.proc, new RegExp(`schedulers updated schedulers=${sched.addr}\\b`));
      await logged(d.proc, /manager link established .*revision=1/);
    }
    await waitFor("peer dynconfig.json", async () => kept(peer).revision === revision, 10_000);
    expect(kept(peer)).toMatchObject({
      client_config: { download_rate_limit: 0 },
      schedulers: [sched.addr],
    });
  });

  it("applies a client config saved in the manager within about a second; downloads slow down", async () => {
    await timedDownload(peer, "/before.bin", 8 * MIB);
    const pid = peer.proc.child.pid;
    const saved = Date.now();
    const revision = await saveClusterConfig(m, { client_config: { download_rate_limit: RATE } });
    const applied = new RegExp(`client config applied download_rate_limit=${RATE}`);
    await Promise.all([seed, peer].map((d) => logged(d.proc, applied, PUSH_DEADLINE_MS)));
    expect(Date.now() - saved).toBeLessThan(PUSH_DEADLINE_MS);
    await seedShows(revision, 10_000);
    await waitFor("peer keeps the revision", async () => kept(peer).revision === revision, 10_000);
    expect(kept(peer).client_config).toMatchObject({ download_rate_limit: RATE });

    // One second of burst is allowed: 8 MiB at 2 MiB/s takes at least (8 - 2) / 2 = 3 s.
    expect(await timedDownload(peer, "/after.bin", 8 * MIB)).toBeGreaterThanOrEqual(2.5);
    expect(peer.proc.child.pid).toBe(pid);
  }, 120_000);

  it("keeps serving while the manager is down and reconnects when it is back", async () => {
    const revision = await clusterRevision(m);
    await m.stop();
    for (const d of [seed, peer]) await logged(d.proc, /manager link lost, reconnecting/);
    await new Promise((r) => setTimeout(r, 3_000));
    for (const d of [seed, peer]) expect(await healthy(d)).toBe(true);
    await timedDownload(peer, "/outage.bin", MIB);
    expect(kept(peer).schedulers).toEqual([sched.addr]);

    await m.restart();
    await seedShows(revision);
    for (const d of [seed, peer]) await logged(d.proc, /manager link restored/);
  }, 150_000);

  it("restarted while the manager is down, starts on the config and schedulers kept on disk", async () => {
    const revision = await clusterRevision(m);
    await m.stop();
    await peer.stop();
    await peer.restart();
    await logged(
      peer.proc,
      new RegExp(`restoring client config kept on disk revision=${revision}`),
    );
    await logged(peer.proc, new RegExp(`client config applied download_rate_limit=${RATE}`));
    await logged(peer.proc, new RegExp(`schedulers updated schedulers=${sched.addr}\\b`));
    await logged(peer.proc, /manager link lost, reconnecting/);
    // 6 MiB at 2 MiB/s with one second of burst takes at least 2 s.
    expect(await timedDownload(peer, "/offline.bin", 6 * MIB)).toBeGreaterThanOrEqual(1.8);
  }, 150_000);
});
