import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { noopLogger } from "@df/logger";

import { TaskDownloader } from "../src/download/task-download";
import { createHostLimiters } from "../src/limit/host-limiters";
import { Storage } from "../src/storage/storage";
import { randomContent, startOrigin, type Origin } from "./support/origin";

describe("a download with a digest and no output file (seed peer, proxy)", () => {
  let origin: Origin;
  let downloader: TaskDownloader;
  let storage: Storage;
  beforeAll(async () => {
    origin = await startOrigin();
    storage = await Storage.open(mkdtempSync(join(tmpdir(), "df-verify-")), noopLogger);
    const limiters = createHostLimiters({
      download_rate_limit: 0,
      upload_rate_limit: 0,
      back_to_source_rate_limit: 0,
    });
    downloader = new TaskDownloader({
      storage,
      limiters,
      log: noopLogger,
      pieceConcurrency: () => 4,
    });
  });
  afterAll(() => origin?.close());

  const request = (url: string, digest: string) => ({
    url,
    headers: {},
    tag: "",
    application: "",
    digest,
    disableBackToSource: false,
    needBackToSource: true,
  });

  it("keeps a task whose bytes match the digest", async () => {
    const file = randomContent(5 * 1024 * 1024);
    origin.set("/good.bin", { data: file.data });
    const r = await downloader.download(request(origin.url("/good.bin"), file.sha256));
    expect(storage.get(r.taskId)?.isFinished).toBe(true);
  });

  it("deletes a task whose bytes do not match, so it is never shared", async () => {
    origin.set("/bad.bin", { data: randomContent(1024).data });
    const wrong = `sha256:${"1".repeat(64)}`;
    await expect(downloader.download(request(origin.url("/bad.bin"), wrong))).rejects.toThrow(
      /digest mismatch/,
    );
    expect(storage.all().filter((t) => t.meta.url.endsWith("/bad.bin"))).toEqual([]);
  });
});
