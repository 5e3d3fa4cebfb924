import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startApp, waitFor } from "@df/testkit";

import { dfget, startDaemon } from "./support/daemon";
import { randomContent, startOrigin, type Origin } from "./support/origin";

const MIB = 1024 * 1024;

/** journaledPieces reads the numbers of the pieces the daemon recorded for its only task. */
function journaledPieces(dataDir: string): number[] {
  const dir = join(dataDir, "metadata", "tasks");
  const journal = readdirSync(dir).find((f) => f.endsWith(".pieces"));
  if (!journal) return [];
  return readFileSync(join(dir, journal), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { number: number }).number);
}

describe("dfdaemon resume and limits", () => {
  let origin: Origin;
  let out: string;
  beforeAll(async () => {
    origin = await startOrigin();
    out = mkdtempSync(join(tmpdir(), "df-out-"));
  });
  afterAll(() => origin?.close());

  it("killed with SIGKILL mid-download and restarted, resumes without refetching finished pieces", async () => {
    const file = randomContent(8 * MIB);
    origin.set("/resume.bin", { data: file.data, bytesPerSecond: 2 * MIB });
    const daemon = await startDaemon("resume-peer", ["--download.piece_concurrency=2"]);
    try {
      const args = [
        origin.url("/resume.bin"),
        "-O",
        join(out, "resume.bin"),
        "--piece-length",
        "1MiB",
        "--digest",
        file.sha256,
      ];
      const first = startApp("dfget", ["--endpoint", daemon.socket, "--no-progress", ...args]);
      await waitFor(
        "some pieces journaled",
        async () => journaledPieces(daemon.dataDir).length >= 2,
        20_000,
        50,
      );
      await daemon.proc.kill();
      await first.exited;
      const done = journaledPieces(daemon.dataDir);
      expect(done.length).toBeGreaterThanOrEqual(2);
      expect(done.length).toBeLessThan(8);
      const requestsBefore = origin.ranges("/resume.bin").length;

      await daemon.restart();
      const second = await dfget(daemon.socket, args);
      expect(second.code).toBe(0);
      expect(readFileSync(join(out, "resume.bin")).equals(file.data)).toBe(true);
      const after = origin.ranges("/resume.bin").slice(requestsBefore);
      for (const n of done) expect(after).not.toContain(`bytes=${n * MIB}-${(n + 1) * MIB - 1}`);
      expect(after.length).toBeLessThanOrEqual(8 - done.length);
    } finally {
      await daemon.stop();
    }
  });

  it("holds downloads to the host download rate limit", async () => {
    const file = randomContent(12 * MIB);
    origin.set("/limited.bin", { data: file.data });
    const rate = 4 * MIB;
    const daemon = await startDaemon("limited-peer", [`--download.download_rate_limit=${rate}`]);
    try {
      const started = performance.now();
      const r = await dfget(daemon.socket, [
        origin.url("/limited.bin"),
        "-O",
        join(out, "limited.bin"),
      ]);
      const seconds = (performance.now() - started) / 1000;
      expect(r.code).toBe(0);
      // One second of burst is allowed, so 12 MiB at 4 MiB/s takes at least (12 - 4) / 4 = 2 s.
      expect(seconds).toBeGreaterThanOrEqual(1.8);
      expect(readFileSync(join(out, "limited.bin")).equals(file.data)).toBe(true);
    } finally {
      await daemon.stop();
    }
  });
});
