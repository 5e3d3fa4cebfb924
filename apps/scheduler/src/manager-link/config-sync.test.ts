import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import type { SchedulerConfig } from "@df/cluster-config";
import { noopLogger } from "@df/logger";
import type { ConfigUpdate } from "@df/proto/manager/v2";

import { ConfigSync } from "./config-sync";
import { dynconfigPath } from "./dynconfig-file";

/** update builds a pushed revision of cluster 1. */
const update = (revision: number, config: unknown): ConfigUpdate => ({
  schedulerClusterId: 1,
  revision,
  schedulerConfigJson: JSON.stringify(config),
  clientConfigJson: "{}",
  updatedAt: undefined,
});

/** harness runs a ConfigSync on a fresh folder and records what it applied and reported. */
function harness() {
  const path = dynconfigPath(mkdtempSync(join(tmpdir(), "df-sync-")));
  const applied: Array<[number, number]> = [];
  const reports: Array<{ revision: number; error: string | undefined }> = [];
  const sync = new ConfigSync(path, noopLogger, (c: SchedulerConfig, revision) =>
    applied.push([revision, c.candidate_parent_limit]),
  );
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
  return { path, sync, applied, reports, push, kept };
}

describe("ConfigSync", () => {
  it("applies, keeps on disk and reports a valid push", async () => {
    const h = harness();
    await h.push(update(2, { candidate_parent_limit: 5 }));
    expect(h.applied).toEqual([[2, 5]]);
    expect(h.reports).toEqual([{ revision: 2, error: undefined }]);
    expect(h.kept()).toMatchObject({
      revision: 2,
      scheduler_config: { candidate_parent_limit: 5 },
    });
    expect(h.sync.revision()).toBe(2);
  });

  it("refuses an invalid push, keeps the previous config and reports the reason", async () => {
    const h = harness();
    await h.push(update(2, { candidate_parent_limit: 5 }));
    await h.push(update(3, { candidate_parent_limit: 99 }));
    await h.push(update(4, { nope: true }));
    expect(h.applied).toEqual([[2, 5]]);
    expect(h.reports[1]?.error).toMatch(/candidate_parent_limit/);
    expect(h.reports[2]?.error).toMatch(/nope/);
    expect(h.kept()).toMatchObject({ revision: 2 });
  });

  it("keeps a new revision with unchanged content without applying it again", async () => {
    const h = harness();
    await h.push(update(2, { candidate_parent_limit: 5 }));
    await h.push(update(3, { candidate_parent_limit: 5 }));
    expect(h.applied).toEqual([[2, 5]]);
    expect(h.reports.map((r) => r.revision)).toEqual([2, 3]);
    expect(h.kept()).toMatchObject({ revision: 3 });
  });

  it("restores the kept config at start and ignores a corrupt file", async () => {
    const h = harness();
    await h.push(update(6, { candidate_parent_limit: 9 }));
    const again = new ConfigSync(h.path, noopLogger, (c, revision) =>
      h.applied.push([revision, c.candidate_parent_limit]),
    );
    again.restore();
    expect(h.applied.at(-1)).toEqual([6, 9]);
    expect(again.revision()).toBe(6);

    writeFileSync(h.path, "{ not json");
    const corrupt = new ConfigSync(h.path, noopLogger, () => {
      throw new Error("must not apply");
    });
    corrupt.restore();
    expect(corrupt.revision()).toBe(0);
  });

  it("applies nothing at start when no config is kept", () => {
    const h = harness();
    h.sync.restore();
    expect(h.applied).toEqual([]);
    expect(h.sync.revision()).toBe(0);
  });
});
