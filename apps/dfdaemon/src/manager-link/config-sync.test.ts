import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { noopLogger } from "@df/logger";
import type { ConfigUpdate } from "@df/proto/manager/v2";

import { DaemonSync } from "./config-sync";
import { dynconfigPath } from "./dynconfig-file";

/** update builds a pushed revision of cluster 1. */
const update = (revision: number, clientConfig: unknown): ConfigUpdate => ({
  schedulerClusterId: 1,
  revision,
  schedulerConfigJson: "{}",
  clientConfigJson: JSON.stringify(clientConfig),
  updatedAt: undefined,
});

/** harness runs a DaemonSync on `dir` and records what it applied, set and reported. */
function harness(dir = mkdtempSync(join(tmpdir(), "df-sync-"))) {
  const path = dynconfigPath(dir);
  const applied: Array<[number, number]> = [];
  const schedulerLists: string[][] = [];
  const reports: Array<{ revision: number; error: string | undefined }> = [];
  const sync = new DaemonSync({
    path,
    log: noopLogger,
    fallback: ["10.0.0.9:8002"],
    apply: (c, revision) => applied.push([revision, c.download_rate_limit]),
    setSchedulers: (addrs) => schedulerLists.push(addrs),
  });
  /** push hands one update over and resolves once it was reported. */
  const push = (u: ConfigUpdate) =>
    new Promise<void>((resolve) =>
      sync.push(u, (r, error) => {
        reports.push({ revision: r.revision, error });
        resolve();
        return Promise.resolve();
      }),
    );
  const kept = () => JSON.parse(readFileSync(path, "utf8")) as unknown;
  return { dir, sync, applied, schedulerLists, reports, push, kept };
}

describe("DaemonSync", () => {
  it("starts on the fallback schedulers and keeps a valid push with the learned ones", async () => {
    const h = harness();
    h.sync.restore();
    expect(h.schedulerLists).toEqual([["10.0.0.9:8002"]]);
    h.sync.learnSchedulers(["10.0.0.1:8002"]);
    await h.push(update(3, { download_rate_limit: 1024 }));
    expect(h.applied).toEqual([[3, 1024]]);
    expect(h.reports).toEqual([{ revision: 3, error: undefined }]);
    expect(h.kept()).toMatchObject({
      revision: 3,
      client_config: { download_rate_limit: 1024 },
      schedulers: ["10.0.0.1:8002"],
    });
  });

  it("keeps the known schedulers when the manager names none, and skips unchanged lists", () => {
    const h = harness();
    h.sync.learnSchedulers(["10.0.0.1:8002"]);
    h.sync.learnSchedulers([]);
    h.sync.learnSchedulers(["10.0.0.1:8002"]);
    expect(h.schedulerLists).toEqual([["10.0.0.1:8002"]]);
    expect(h.sync.schedulers()).toEqual(["10.0.0.1:8002"]);
  });

  it("refuses an invalid push, keeping the previous config and reporting the reason", async () => {
    const h = harness();
    await h.push(update(2, { download_rate_limit: 1024 }));
    await h.push(update(3, { gc_disk_low_watermark_percent: 95 }));
    expect(h.applied).toEqual([[2, 1024]]);
    expect(h.reports[1]?.error).toMatch(/gc_disk_low_watermark_percent/);
    expect(h.kept()).toMatchObject({ revision: 2 });
  });

  it("restores the kept config and schedulers on the next start", async () => {
    const first = harness();
    first.sync.learnSchedulers(["10.0.0.1:8002"]);
    await first.push(update(5, { download_rate_limit: 2048 }));
    const next = harness(first.dir);
    next.sync.restore();
    expect(next.applied).toEqual([[5, 2048]]);
    expect(next.schedulerLists).toEqual([["10.0.0.1:8002"]]);
    expect(next.sync.revision()).toBe(5);
  });
});
