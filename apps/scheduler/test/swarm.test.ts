import { createHash } from "node:crypto";
import { mkdtempSync, openSync, readdirSync, readFileSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { waitFor } from "@df/testkit";

import { rendezvousOrder } from "../../dfdaemon/src/p2p/rendezvous";
import { taskId } from "../../dfdaemon/src/task/task-id";
import {
  dfget,
  randomContent,
  startOrigin,
  startScheduler,
  startSwarm,
  type Origin,
} from "./support/swarm";

const MIB = 1024 * 1024;
const sha256 = (path: string) =>
  `sha256:${createHash("sha256").update(readFileSync(path)).digest("hex")}`;

describe("P2P swarm with real processes", () => {
  let origin: Origin;
  let out: string;
  beforeAll(async () => {
    origin = await startOrigin();
    out = mkdtempSync(join(tmpdir(), "df-swarm-"));
  });
  afterAll(() => origin?.close());

  it("eight peers download a 256 MiB file at once while the origin serves it about once", async () => {
    const swarm = await startSwarm({ peers: 8 });
    try {
      const file = randomContent(256 * MIB);
      origin.set("/big.bin", { data: file.data });
      const results = await Promise.all(
        swarm.peers.map((p, i) =>
          dfget(p.socket, [
            origin.url("/big.bin"),
            "-O",
            join(out, `big-${i}.bin`),
            "--digest",
            file.sha256,
          ]),
        ),
      );
      for (const r of results) expect(r, r.output).toMatchObject({ code: 0 });
      for (let i = 0; i < 8; i++) expect(sha256(join(out, `big-${i}.bin`))).toBe(file.sha256);
      expect(origin.bytesServed("/big.bin")).toBeLessThanOrEqual(file.data.length * 1.05);
    } finally {
      await swarm.stop();
    }
  }, 300_000);

  it("every peer still completes when a parent (the seed peer) is killed with SIGKILL mid-transfer", async () => {
    const swarm = await startSwarm({ peers: 4 });
    try {
      const file = randomContent(48 * MIB);
      origin.set("/killed.bin", { data: file.data, bytesPerSecond: 4 * MIB });
      const downloads = Promise.all(
        swarm.peers.map((p, i) =>
          dfget(p.socket, [
            origin.url("/killed.bin"),
            "-O",
            join(out, `killed-${i}.bin`),
            "--digest",
            file.sha256,
          ]),
        ),
      );
      await waitFor(
        "origin serving the seed",
        async () => origin.bytesServed("/killed.bin") > 12 * MIB,
        60_000,
        100,
      );
      await swarm.seed.proc.kill();
      const results = await downloads;
      for (const r of results) expect(r, r.output).toMatchObject({ code: 0 });
      for (let i = 0; i < 4; i++) expect(sha256(join(out, `killed-${i}.bin`))).toBe(file.sha256);
    } finally {
      await swarm.stop();
    }
  }, 300_000);

  it("detects and isolates a peer serving corrupted pieces, and every download still ends with correct bytes", async () => {
    // The peers share a data centre the seed peer is not in, so the corrupt peer, holding the
    // whole file, is the best-scored parent of the first peer to ask; one digest mismatch (weight
    // 5) reaches the isolation threshold set here.
    const swarm = await startSwarm({
      peers: 4,
      peerFlags: ["--host.idc=dc1"],
      schedulerFlags: ["--scheduling.host_isolation_failures=5"],
    });
    try {
      const file = randomContent(32 * MIB);
      origin.set("/corrupt.bin", { data: file.data });
      const [bad, ...others] = swarm.peers;
      if (!bad) throw new Error("no peers");
      expect(
        (await dfget(bad.socket, [origin.url("/corrupt.bin"), "-O", join(out, "corrupt-bad.bin")]))
          .code,
      ).toBe(0);
      // Flip one byte in every piece of the bad peer's stored copy; its journal still claims good digests.
      const contentDir = join(bad.dataDir, "content", "tasks");
      const [prefix] = readdirSync(contentDir);
      const [id] = readdirSync(join(contentDir, prefix ?? ""));
      const fd = openSync(join(contentDir, prefix ?? "", id ?? ""), "r+");
      for (let off = 100; off < file.data.length; off += 4 * MIB)
        writeSync(fd, Buffer.from([(file.data[off] ?? 0) ^ 0xff]), 0, 1, off);
      closeSync(fd);

      const results = await Promise.all(
        others.map((p, i) =>
          dfget(p.socket, [
            origin.url("/corrupt.bin"),
            "-O",
            join(out, `corrupt-${i}.bin`),
            "--digest",
            file.sha256,
          ]),
        ),
      );
      for (const r of results) expect(r, r.output).toMatchObject({ code: 0 });
      for (let i = 0; i < others.length; i++)
        expect(sha256(join(out, `corrupt-${i}.bin`))).toBe(file.sha256);
      const log = swarm.schedulers[0]?.proc.output() ?? "";
      expect(log).toMatch(/parent penalised .*host=peer-0 digestMismatch=true/);
      expect(log).toMatch(/parent penalised .*host=peer-0 .*hostIsolated=true/);
      expect(origin.bytesServed("/corrupt.bin")).toBeLessThanOrEqual(file.data.length * 1.05);
    } finally {
      await swarm.stop();
    }
  }, 300_000);

  it("finishes every download when the task's scheduler is killed mid-download, on the next scheduler", async () => {
    const swarm = await startSwarm({ peers: 3, schedulers: 2 });
    try {
      const file = randomContent(40 * MIB);
      origin.set("/failover.bin", { data: file.data, bytesPerSecond: 4 * MIB });
      const id = taskId({ url: origin.url("/failover.bin") });
      const owner = rendezvousOrder(
        id,
        swarm.schedulers.map((s) => s.addr),
      )[0];
      const victim = swarm.schedulers.find((s) => s.addr === owner);
      const downloads = Promise.all(
        swarm.peers.map((p, i) =>
          dfget(p.socket, [
            origin.url("/failover.bin"),
            "-O",
            join(out, `fo-${i}.bin`),
            "--digest",
            file.sha256,
          ]),
        ),
      );
      await waitFor(
        "download under way",
        async () => origin.bytesServed("/failover.bin") > 8 * MIB,
        60_000,
        100,
      );
      await victim?.proc.kill();
      const results = await downloads;
      for (const r of results) expect(r, r.output).toMatchObject({ code: 0 });
      for (let i = 0; i < 3; i++) expect(sha256(join(out, `fo-${i}.bin`))).toBe(file.sha256);
      const survivor = swarm.schedulers.find((s) => s !== victim);
      expect(survivor?.proc.output()).toMatch(/peer registered|triggering seed peer/);
    } finally {
      await swarm.stop();
    }
  }, 300_000);

  it("a seed peer checks the whole content against the digest the peer asked for and drops a task that fails it", async () => {
    const swarm = await startSwarm({ peers: 1 });
    try {
      const file = randomContent(8 * MIB);
      origin.set("/seed-digest.bin", { data: file.data });
      const storedTasks = (dataDir: string) => {
        const dir = join(dataDir, "content", "tasks");
        return readdirSync(dir).flatMap((prefix) => readdirSync(join(dir, prefix)));
      };
      const [peer] = swarm.peers;
      if (!peer) throw new Error("no peer");
      const r = await dfget(peer.socket, [
        origin.url("/seed-digest.bin"),
        "-O",
        join(out, "seed-digest.bin"),
        "--digest",
        `sha256:${"1".repeat(64)}`,
      ]);
      expect(r.code).toBe(1);
      expect(r.output).toMatch(/digest mismatch: expected sha256:1{64}, got sha256:/);
      // The seed peer fetched the file for the swarm, found it does not match, and dropped it.
      await waitFor(
        "the seed peer to drop the task",
        () => Promise.resolve(storedTasks(swarm.seed.dataDir).length === 0),
        20_000,
      );
      expect(storedTasks(peer.dataDir)).toEqual([]);
      expect(origin.bytesServed("/seed-digest.bin")).toBeGreaterThanOrEqual(file.data.length);
    } finally {
      await swarm.stop();
    }
  }, 120_000);

  it("fails a peer with --disable-back-to-source and no parent, with a clear reason", async () => {
    const scheduler = await startScheduler("lonely-scheduler");
    const { startDaemon } = await import("../../dfdaemon/test/support/daemon");
    const peer = await startDaemon("lonely-peer", [`--scheduler.addrs=${scheduler.addr}`]);
    try {
      origin.set("/lonely.bin", { data: Buffer.alloc(MIB) });
      const r = await dfget(peer.socket, [
        origin.url("/lonely.bin"),
        "-O",
        join(out, "lonely.bin"),
        "--disable-back-to-source",
      ]);
      expect(r.code).toBe(1);
      expect(r.output).toMatch(/no parent can serve this task .* back-to-source is disabled/);
      expect(origin.ranges("/lonely.bin")).toEqual([]);
    } finally {
      await peer.stop();
      await scheduler.proc.stop();
    }
  });
});
