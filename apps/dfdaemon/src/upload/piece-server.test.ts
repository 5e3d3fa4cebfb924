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

  it("answers 503 when the upload load limit is reached", async () => {
    loadLimit = 0;
    const r = await get(port, `/tasks/${ID}/pieces/0`);
    loadLimit = 10;
    expect(r.status).toBe(503);
  });
});
