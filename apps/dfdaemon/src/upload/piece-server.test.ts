import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { noopLogger } from "@df/logger";

import { writePiece } from "../download/piece-writer";
import { createHostLimiters } from "../limit/host-limiters";
import { Storage } from "../storage/storage";
import { InflightPiece, KEEP_BUDGET } from "../task/inflight-piece";
import { createPieceServer, PIECE_DIGEST_HEADER, PIECE_PENDING_HEADER } from "./piece-server";

const ID = "e".repeat(64);

function get(
  port: number,
  path: string,
  method = "GET",
): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

/** follow starts a GET and keeps what arrives, so a test can watch an answer as it streams. */
function follow(port: number, path: string) {
  const got: Buffer[] = [];
  let headers: Record<string, unknown> = {};
  let status = 0;
  const ended = new Promise<"complete" | "cut">((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path }, (res) => {
      status = res.statusCode ?? 0;
      headers = res.headers;
      res.on("data", (c: Buffer) => got.push(c));
      res.on("end", () => resolve("complete"));
      res.on("aborted", () => resolve("cut"));
      res.on("error", () => resolve("cut"));
    });
    req.on("error", reject);
    req.end();
  });
  return {
    ended,
    body: () => Buffer.concat(got).toString(),
    status: () => status,
    headers: () => headers,
  };
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe("piece upload server", () => {
  let port = 0;
  let loadLimit = 10;
  let close = () => {};
  let digest = "";
  let store: (n: number, data: string) => Promise<void> = () => Promise.resolve();
  let storage: Storage;

  beforeAll(async () => {
    storage = await Storage.open(mkdtempSync(join(tmpdir(), "df-up-")), noopLogger);
    const task = await storage.downloadTaskStarted({
      id: ID,
      url: "http://o/x",
      tag: "",
      application: "",
      filteredQueryParams: [],
      pieceLength: 4,
      contentLength: 12,
      responseHeader: {},
      createdAt: 0,
      accessedAt: 0,
    });
    const w = await writePiece(
      task.contentPath,
      { number: 0, offset: 0, length: 4 },
      Readable.from([Buffer.from("ABCD")]),
    );
    digest = w.digest;
    store = async (n, data) => {
      const span = { number: n, offset: n * 4, length: 4 };
      const piece = await writePiece(task.contentPath, span, Readable.from([Buffer.from(data)]));
      task.downloadPieceFinished({ ...span, digest: piece.digest, finishedAt: 2 });
    };
    task.downloadPieceFinished({ number: 0, offset: 0, length: 4, digest, finishedAt: 1 });
    const server = createPieceServer({
      storage,
      limiters: createHostLimiters({
        download_rate_limit: 0,
        upload_rate_limit: 0,
        back_to_source_rate_limit: 0,
      }),
      log: noopLogger,
      loadLimit: () => loadLimit,
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
    close = () => server.close();
  });
  afterAll(() => close());

  it("serves a finished piece with its digest", async () => {
    const r = await get(port, `/tasks/${ID}/pieces/0`);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe("ABCD");
    expect(r.headers[PIECE_DIGEST_HEADER]).toBe(digest);
  });

  it.each([
    { name: "an unfinished piece", path: `/tasks/${ID}/pieces/1`, status: 404 },
    { name: "a piece past the end", path: `/tasks/${ID}/pieces/99`, status: 404 },
    { name: "an unknown task", path: `/tasks/${"f".repeat(64)}/pieces/0`, status: 404 },
    { name: "a path escaping the storage", path: "/tasks/../../../../etc/passwd", status: 404 },
    { name: "an encoded traversal", path: `/tasks/%2e%2e%2f%2e%2e/pieces/0`, status: 404 },
    { name: "a bare file path", path: `/content/tasks/eee/${ID}`, status: 404 },
  ])("refuses $name", async ({ path, status }) => {
    const r = await get(port, path);
    expect(r.status).toBe(status);
    expect(r.body.toString()).not.toContain("ABCD");
  });

  it("refuses methods other than GET", async () => {
    expect((await get(port, `/tasks/${ID}/pieces/0`, "DELETE")).status).toBe(405);
  });

  it("holds a request that asks to wait until the piece is stored, then serves it", async () => {
    const asked = get(port, `/tasks/${ID}/pieces/1?wait=3000`);
    await new Promise((r) => setTimeout(r, 100));
    await store(1, "EFGH");
    const r = await asked;
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe("EFGH");
    expect(r.headers[PIECE_DIGEST_HEADER]).toMatch(/^crc32:\d+$/);
  });

  it("answers 404 when the piece is not stored within the wait", async () => {
    const t = Date.now();
    const r = await get(port, `/tasks/${ID}/pieces/2?wait=200`);
    expect(r.status).toBe(404);
    // Marked as not stored yet, unlike an unknown task, so a child that asked early asks again.
    expect(r.headers[PIECE_PENDING_HEADER]).toBe("1");
    const unknown = await get(port, `/tasks/${"f".repeat(64)}/pieces/0?wait=200`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers[PIECE_PENDING_HEADER]).toBeUndefined();
    expect(Date.now() - t).toBeGreaterThanOrEqual(150);
  });

  it("ends a wait as 'unknown task' (not pending) when the task is deleted meanwhile", async () => {
    const other = "d".repeat(64);
    await storage.downloadTaskStarted({
      id: other,
      url: "http://o/y",
      tag: "",
      application: "",
      filteredQueryParams: [],
      pieceLength: 4,
      contentLength: 8,
      responseHeader: {},
      createdAt: 0,
      accessedAt: 0,
    });
    const asked = get(port, `/tasks/${other}/pieces/0?wait=3000`);
    await new Promise((r) => setTimeout(r, 100));
    const t = Date.now();
    await storage.deleteTask(other, { force: true });
    const r = await asked;
    expect(r.status).toBe(404);
    expect(r.body.toString()).toContain("unknown task");
    expect(r.headers[PIECE_PENDING_HEADER]).toBeUndefined();
    expect(Date.now() - t).toBeLessThan(1_000);
  });

  it("refuses a wait that is not a number of milliseconds", async () => {
    expect((await get(port, `/tasks/${ID}/pieces/2?wait=soon`)).status).toBe(404);
    expect((await get(port, `/tasks/${ID}/pieces/2?wait=1&x=y`)).status).toBe(404);
  });

  describe("a piece this peer is still receiving", () => {
    const FWD = "c".repeat(64);
    const span = (n: number) => ({ number: n, offset: n * 8, length: 8 });
    /** storeFwd writes piece `n` of the task and records it as stored; returns its digest. */
    const storeFwd = async (n: number, data: string): Promise<string> => {
      const task = storage.get(FWD);
      if (!task) throw new Error("no task");
      const written = await writePiece(
        task.contentPath,
        span(n),
        Readable.from([Buffer.from(data)]),
      );
      task.downloadPieceFinished({ ...span(n), digest: written.digest, finishedAt: n });
      return written.digest;
    };
    beforeAll(async () => {
      await storage.downloadTaskStarted({
        id: FWD,
        url: "http://o/fwd",
        tag: "",
        application: "",
        filteredQueryParams: [],
        pieceLength: 8,
        contentLength: 32,
        responseHeader: {},
        createdAt: 0,
        accessedAt: 0,
      });
    });

    it("is sent as its bytes arrive, its last byte only once verified here", async () => {
      const task = storage.get(FWD);
      if (!task) throw new Error("no task");
      const asked = follow(port, `/tasks/${FWD}/pieces/0?wait=3000`);
      await new Promise((r) => setTimeout(r, 50));
      const inflight = task.receiving(span(0));
      inflight.piece.setDigest("crc32:12345");
      inflight.piece.push(Buffer.from("ABCDE"));
      await until("the first bytes", () => asked.body() === "ABCDE");
      expect(asked.status()).toBe(200);
      expect(asked.headers()[PIECE_DIGEST_HEADER]).toBe("crc32:12345");
      expect(asked.headers()["content-length"]).toBe("8");
      inflight.piece.push(Buffer.from("FGH"));
      await until("all but the last byte", () => asked.body() === "ABCDEFG");
      await new Promise((r) => setTimeout(r, 100));
      expect(asked.body()).toBe("ABCDEFG");
      inflight.piece.verify();
      expect(await asked.ended).toBe("complete");
      expect(asked.body()).toBe("ABCDEFGH");
      inflight.done();
    });

    it("is kept in memory only while a child waits on or syncs with the task", () => {
      const task = storage.get(FWD);
      if (!task) throw new Error("no task");
      const alone = task.receiving(span(3));
      expect(alone.piece.kept).toBe(false);
      alone.done();
      const off = task.onPiece(() => undefined); // what a child's SyncPieces stream subscribes
      const followed = task.receiving(span(3));
      expect(followed.piece.kept).toBe(true);
      followed.done();
      off();
    });

    it("is cut short when it fails here after its first bytes went out", async () => {
      const task = storage.get(FWD);
      if (!task) throw new Error("no task");
      const asked = follow(port, `/tasks/${FWD}/pieces/1?wait=3000`);
      await new Promise((r) => setTimeout(r, 50));
      const inflight = task.receiving(span(1));
      inflight.piece.setDigest("crc32:1");
      inflight.piece.push(Buffer.from("ABCD"));
      await until("the first bytes", () => asked.body() === "ABCD");
      inflight.piece.fail();
      inflight.done();
      expect(await asked.ended).toBe("cut");
      expect(asked.body()).toBe("ABCD");
    });

    it("is served once stored when its bytes are not kept (too large for the memory set aside)", async () => {
      const task = storage.get(FWD);
      if (!task) throw new Error("no task");
      // Hold the whole budget, so the next piece cannot be kept.
      const hog = new InflightPiece({ number: 99, offset: 0, length: KEEP_BUDGET });
      const inflight = task.receiving(span(3));
      expect(inflight.piece.kept).toBe(false);
      inflight.piece.setDigest("crc32:1");
      const asked = follow(port, `/tasks/${FWD}/pieces/3?wait=3000`);
      await new Promise((r) => setTimeout(r, 50));
      inflight.piece.push(Buffer.from("ABCDEFGH"));
      inflight.piece.verify();
      inflight.done();
      hog.fail();
      await new Promise((r) => setTimeout(r, 50));
      expect(asked.status()).toBe(0); // no answer before the piece is stored
      await storeFwd(3, "ABCDEFGH");
      expect(await asked.ended).toBe("complete");
      expect(asked.body()).toBe("ABCDEFGH");
    });

    it("is waited for again when it fails before its digest is known, then served stored", async () => {
      const task = storage.get(FWD);
      if (!task) throw new Error("no task");
      const asked = follow(port, `/tasks/${FWD}/pieces/2?wait=3000`);
      await new Promise((r) => setTimeout(r, 50));
      const lost = task.receiving(span(2));
      // The parent answered "not stored yet": nothing was sent, the child's wait goes on.
      lost.piece.fail();
      lost.done();
      await new Promise((r) => setTimeout(r, 50));
      const digest = await storeFwd(2, "12345678");
      expect(await asked.ended).toBe("complete");
      expect(asked.status()).toBe(200);
      expect(asked.body()).toBe("12345678");
      expect(asked.headers()[PIECE_DIGEST_HEADER]).toBe(digest);
    });
  });

  it("answers 503 when the upload load limit is reached", async () => {
    loadLimit = 0;
    const r = await get(port, `/tasks/${ID}/pieces/0`);
    loadLimit = 10;
    expect(r.status).toBe(503);
  });
});
