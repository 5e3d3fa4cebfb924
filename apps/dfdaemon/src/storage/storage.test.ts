import {
  appendFileSync,
  closeSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

import { afterEach, describe, expect, it, vi } from "vitest";

import { noopLogger } from "@df/logger";

import { writePiece } from "../download/piece-writer";
import { runGc } from "../gc/gc";
import { retireContent } from "./content-fds";
import { Storage } from "./storage";
import { SEAL_DELAY_MS, type StoredTask } from "./stored-task";
import type { TaskMeta } from "./types";

const id = (c: string) => c.repeat(64);
const meta = (taskId: string, contentLength: number, accessedAt = Date.now()): TaskMeta => ({
  id: taskId,
  url: `http://origin/${taskId}`,
  tag: "",
  application: "",
  filteredQueryParams: [],
  pieceLength: 4,
  contentLength,
  responseHeader: {},
  createdAt: accessedAt,
  accessedAt,
});

/** storeFirstPiece writes `data` (4 bytes) as piece 0 of the task, records it and returns it. */
async function storeFirstPiece(task: StoredTask, data: string): Promise<{ digest: string }> {
  const span = { number: 0, offset: 0, length: 4 };
  const w = await writePiece(task.contentPath, span, Readable.from([Buffer.from(data)]));
  task.downloadPieceFinished({ ...span, digest: w.digest, finishedAt: 1 });
  return w;
}

async function storeWhole(storage: Storage, taskId: string, data: Buffer, accessedAt = Date.now()) {
  const task = await storage.downloadTaskStarted(meta(taskId, data.length, accessedAt));
  for (let n = 0; n * 4 < data.length; n++) {
    const span = { number: n, offset: n * 4, length: Math.min(4, data.length - n * 4) };
    const w = await writePiece(
      task.contentPath,
      span,
      Readable.from([data.subarray(span.offset, span.offset + span.length)]),
    );
    task.downloadPieceFinished({ ...span, digest: w.digest, finishedAt: Date.now() });
  }
  await task.markFinished(accessedAt);
  return task;
}

/** opened holds every storage a test opened; each is closed after the test (journal handles). */
const opened: Storage[] = [];
const openStorage = async (d: string) => {
  const s = await Storage.open(d, noopLogger);
  opened.push(s);
  return s;
};
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close().catch(() => undefined);
});

describe("Storage", () => {
  const dir = () => mkdtempSync(join(tmpdir(), "df-storage-"));

  it("keeps journaled pieces across a restart and ignores a line torn by a crash", async () => {
    const d = dir();
    const s1 = await openStorage(d);
    const task = await s1.downloadTaskStarted(meta(id("a"), 10));
    const w = await storeFirstPiece(task, "abcd");
    await task.flush();
    appendFileSync(s1.layout.pieceJournal(id("a")), '{"number":1,"off');
    const s2 = await openStorage(d);
    const again = s2.require(id("a"));
    expect([...again.pieces.keys()]).toEqual([0]);
    expect(again.pieces.get(0)?.digest).toBe(w.digest);
    expect(again.isFinished).toBe(false);
  });

  it("keeps unsealed pieces whose bytes match after a crash and drops those the disk lost", async () => {
    const d = dir();
    const s1 = await openStorage(d);
    const task = await s1.downloadTaskStarted(meta(id("e"), 12));
    const data = Buffer.from("abcdefghijkl");
    for (let n = 0; n < 3; n++) {
      const span = { number: n, offset: n * 4, length: 4 };
      const w = await writePiece(
        task.contentPath,
        span,
        Readable.from([data.subarray(n * 4, n * 4 + 4)]),
      );
      task.downloadPieceFinished({ ...span, digest: w.digest, finishedAt: 1 });
    }
    await task.flush();
    const journal = readFileSync(s1.layout.pieceJournal(id("e")), "utf8");
    expect(journal).not.toMatch(/seal/);
    // An operating-system crash, as the disk holds it: a copy of the folder taken now, in which
    // piece 1's bytes never reached the disk while its journal line did.
    const crashed = dir();
    cpSync(d, crashed, { recursive: true });
    const fd = openSync(task.contentPath.replace(d, crashed), "r+");
    writeSync(fd, Buffer.alloc(4), 0, 4, 4);
    closeSync(fd);
    const s2 = await openStorage(crashed);
    const again = s2.require(id("e"));
    expect([...again.pieces.keys()].sort()).toEqual([0, 2]);
    // The journal is settled: the kept pieces, sealed, so the next open trusts them unread.
    const settled = readFileSync(s2.layout.pieceJournal(id("e")), "utf8")
      .trim()
      .split("\n");
    expect(settled.map((l) => Object.keys(JSON.parse(l) as object)[0])).toEqual([
      "number",
      "number",
      "seal",
    ]);
  });

  it("seals journaled pieces on its own some seconds after they were journaled", async () => {
    const s = await openStorage(dir());
    const task = await s.downloadTaskStarted(meta(id("g"), 10));
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      await storeFirstPiece(task, "mnop");
      await task.flush();
      const journal = () => readFileSync(s.layout.pieceJournal(id("g")), "utf8");
      expect(journal()).not.toMatch(/seal/);
      await vi.advanceTimersByTimeAsync(SEAL_DELAY_MS - 1);
      await task.flush();
      expect(journal()).not.toMatch(/seal/);
      await vi.advanceTimersByTimeAsync(1);
      await task.flush(); // queued behind the seal the timer started
      expect(journal()).toMatch(/\{"seal":\d+\}\n$/);
    } finally {
      vi.useRealTimers();
    }
  });

  it("seals journaled pieces at close: content synced, then a seal line", async () => {
    const d = dir();
    const s1 = await Storage.open(d, noopLogger);
    const task = await s1.downloadTaskStarted(meta(id("f"), 10));
    await storeFirstPiece(task, "wxyz");
    await s1.close();
    const lines = readFileSync(s1.layout.pieceJournal(id("f")), "utf8")
      .trim()
      .split("\n");
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1] ?? "")).toEqual({ seal: expect.any(Number) });
    // A sealed piece is trusted at open without reading the content.
    const fd = openSync(task.contentPath, "r+");
    writeSync(fd, Buffer.from("XXXX"), 0, 4, 0);
    closeSync(fd);
    const s2 = await openStorage(d);
    expect([...s2.require(id("f")).pieces.keys()]).toEqual([0]);
  });

  it("closes every task when one cannot be sealed (its content file removed behind its back)", async () => {
    const s1 = await Storage.open(dir(), noopLogger);
    const gone = await s1.downloadTaskStarted(meta(id("h"), 10));
    await storeFirstPiece(gone, "abcd");
    const kept = await s1.downloadTaskStarted(meta(id("i"), 10));
    await storeFirstPiece(kept, "efgh");
    rmSync(gone.contentPath);
    retireContent(gone.contentPath); // as when its shared descriptor's linger has run out
    await expect(s1.close()).resolves.toBeUndefined();
    const lines = readFileSync(s1.layout.pieceJournal(id("i")), "utf8")
      .trim()
      .split("\n");
    expect(JSON.parse(lines.at(-1) ?? "")).toEqual({ seal: expect.any(Number) });
    expect(readFileSync(s1.layout.pieceJournal(id("h")), "utf8")).not.toMatch(/seal/);
  });

  it("drops metadata whose content is gone and content whose metadata is gone", async () => {
    const d = dir();
    const s1 = await openStorage(d);
    await storeWhole(s1, id("b"), Buffer.from("0123456789"));
    await storeWhole(s1, id("c"), Buffer.from("0123456789"));
    rmSync(s1.layout.content(id("b")));
    rmSync(s1.layout.taskMeta(id("c")));
    const s2 = await openStorage(d);
    expect(s2.get(id("b"))).toBeUndefined();
    expect(s2.get(id("c"))).toBeUndefined();
    expect(existsSync(s1.layout.content(id("c")))).toBe(false);
    expect(existsSync(s1.layout.taskMeta(id("b")))).toBe(false);
  });

  it("refuses to delete a task that is downloading or uploading", async () => {
    const s = await openStorage(dir());
    const task = await storeWhole(s, id("d"), Buffer.from("xyz"));
    task.active++;
    await expect(s.deleteTask(id("d"))).rejects.toThrow(/being downloaded or uploaded/);
    task.active--;
    await s.deleteTask(id("d"));
    expect(s.get(id("d"))).toBeUndefined();
  });

  it("writes no metadata or journal for a task deleted while a write was due", async () => {
    const s = await openStorage(mkdtempSync(join(tmpdir(), "df-st-")));
    const task = await s.downloadTaskStarted(meta(id("9"), 4));
    await storeFirstPiece(task, "WXYZ");
    const finishing = task.markFinished();
    const heard: string[] = [];
    s.onTaskDeleted((t) => heard.push(t));
    await s.deleteTask(id("9"), { force: true });
    await finishing;
    expect(existsSync(s.layout.taskMeta(id("9")))).toBe(false);
    expect(existsSync(s.layout.pieceJournal(id("9")))).toBe(false);
    expect(existsSync(s.layout.content(id("9")))).toBe(false);
    expect(heard).toEqual([id("9")]);
    expect(s.wasDeleted(id("9"))).toBe(true);
  });

  it("refuses ids that are not task ids", () => {
    return openStorage(dir()).then((s) =>
      expect(() => s.require("../../etc/passwd")).toThrow(/not found/),
    );
  });
});

describe("GC on real storage", () => {
  const HOUR = 3_600_000;
  const settings = {
    ttlSeconds: 6 * 3600,
    highWatermarkPercent: 90,
    lowWatermarkPercent: 50,
    capacityBytes: 0,
  };

  it("evicts tasks idle past the TTL but never an active one", async () => {
    const now = Date.now();
    const s = await openStorage(mkdtempSync(join(tmpdir(), "df-gc-")));
    await storeWhole(s, id("1"), Buffer.alloc(8), now - 7 * HOUR);
    const busy = await storeWhole(s, id("2"), Buffer.alloc(8), now - 7 * HOUR);
    await storeWhole(s, id("3"), Buffer.alloc(8), now - HOUR);
    busy.active++;
    const evicted = await runGc(s, { ...settings, capacityBytes: 1_000_000 }, noopLogger, now);
    expect(evicted.map((e) => e.id)).toEqual([id("1")]);
    expect(
      s
        .all()
        .map((t) => t.meta.id)
        .sort(),
    ).toEqual([id("2"), id("3")]);
    expect(existsSync(s.layout.content(id("1")))).toBe(false);
  });

  it("over the high watermark, evicts least recently used tasks until below the low watermark", async () => {
    const now = Date.now();
    const s = await openStorage(mkdtempSync(join(tmpdir(), "df-gc-")));
    for (const [c, age] of [
      ["4", 4],
      ["5", 1],
      ["6", 3],
      ["7", 2],
    ] as const) {
      await storeWhole(s, id(c), Buffer.alloc(25), now - age * HOUR);
    }
    const evicted = await runGc(s, { ...settings, capacityBytes: 100 }, noopLogger, now);
    expect(evicted).toEqual([
      { id: id("4"), reason: "disk" },
      { id: id("6"), reason: "disk" },
      { id: id("7"), reason: "disk" },
    ]);
    expect(s.all().map((t) => t.meta.id)).toEqual([id("5")]);
  });

  it("leaves an orphan content file that a later open removes when a delete is interrupted", async () => {
    const d = mkdtempSync(join(tmpdir(), "df-gc-"));
    const s = await openStorage(d);
    await storeWhole(s, id("8"), Buffer.alloc(4));
    rmSync(s.layout.taskMeta(id("8")));
    writeFileSync(join(d, "metadata", "tasks", "junk.json"), "{not json");
    const s2 = await openStorage(d);
    expect(s2.all()).toEqual([]);
    expect(existsSync(s.layout.content(id("8")))).toBe(false);
  });
});
