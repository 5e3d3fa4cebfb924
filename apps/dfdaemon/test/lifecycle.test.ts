import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { freePort, grpcServing, httpOk, startApp, waitFor } from "@df/testkit";

async function daemonArgs(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `df-${name}-`));
  const [upload, data, health, proxy] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const socket = join(dir, "dfdaemon.sock");
  return {
    dir,
    socket,
    upload,
    health,
    args: [
      `--host.hostname=${name}`,
      "--upload.listenIp=127.0.0.1",
      `--upload.port=${upload}`,
      `--upload.dataPort=${data}`,
      `--health.port=${health}`,
      `--proxy.port=${proxy}`,
      `--server.socketPath=${socket}`,
      `--storage.dataDir=${join(dir, "data")}`,
    ],
  };
}

describe("dfdaemon process", () => {
  it("runs two daemons side by side with their own ports and data folders, then stops on SIGTERM", async () => {
    const a = await daemonArgs("peer-a");
    const b = await daemonArgs("peer-b");
    const procs = [
      startApp("dfdaemon", a.args, { name: "a" }),
      startApp("dfdaemon", b.args, { name: "b" }),
    ];
    try {
      for (const d of [a, b]) {
        await waitFor(
          "dfdaemon health",
          () => httpOk(`http://127.0.0.1:${d.health}/healthy`),
          30_000,
        );
        expect(await grpcServing(`127.0.0.1:${d.upload}`)).toBe(true);
        expect(await grpcServing(`unix:${d.socket}`)).toBe(true);
        expect(existsSync(join(d.dir, "data"))).toBe(true);
      }
      for (const p of procs) expect(await p.stop()).toBe(0);
      expect(existsSync(a.socket)).toBe(false);
    } finally {
      await Promise.all(procs.map((p) => p.kill()));
    }
  });

  it("refuses a port already in use with a message naming the address", async () => {
    const a = await daemonArgs("peer-c");
    const first = startApp("dfdaemon", a.args, { name: "first" });
    try {
      await waitFor("first daemon", () => httpOk(`http://127.0.0.1:${a.health}/healthy`), 30_000);
      const second = startApp("dfdaemon", [...a.args, `--server.socketPath=${a.socket}.2`], {
        name: "second",
      });
      expect(await second.exited).toBe(1);
      expect(second.output()).toMatch(new RegExp(`127\\.0\\.0\\.1:${a.upload}`));
    } finally {
      await first.stop();
    }
  });

  it("exits non-zero naming the key of a bad value", async () => {
    const proc = startApp("dfdaemon", ["--download.gc_disk_low_watermark_percent=95"]);
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toMatch(
      /"download\.gc_disk_low_watermark_percent": .*below gc_disk_high_watermark_percent/,
    );
  });
});
