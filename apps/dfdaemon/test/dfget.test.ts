import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { dfget, startDaemon, type TestDaemon } from "./support/daemon";
import { randomContent, startOrigin, type Origin } from "./support/origin";

const MIB = 1024 * 1024;
const sha256 = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

describe("dfget through a real dfdaemon and a real origin", () => {
  let origin: Origin;
  let daemon: TestDaemon;
  let out: string;

  beforeAll(async () => {
    origin = await startOrigin();
    daemon = await startDaemon("dfget-peer");
    out = mkdtempSync(join(tmpdir(), "df-out-"));
  });
  afterAll(async () => {
    await daemon?.stop();
    await origin?.close();
  });

  it("downloads verified bytes in pieces, then serves a second download without touching the origin", async () => {
    const file = randomContent(10 * MIB + 123);
    origin.set("/big.bin", { data: file.data });
    const first = await dfget(daemon.socket, [
      origin.url("/big.bin"),
      "-O",
      join(out, "a.bin"),
      "--digest",
      file.sha256,
    ]);
    expect(first).toMatchObject({ code: 0 });
    expect(sha256(readFileSync(join(out, "a.bin")))).toBe(file.sha256);
    expect(origin.ranges("/big.bin")).toContain("bytes=0-0");
    expect(origin.ranges("/big.bin").filter((r) => r !== "bytes=0-0")).toHaveLength(3);
    const servedBefore = origin.bytesServed("/big.bin");
    const requestsBefore = origin.ranges("/big.bin").length;

    const second = await dfget(daemon.socket, [origin.url("/big.bin"), "-O", join(out, "b.bin")]);
    expect(second.code).toBe(0);
    expect(readFileSync(join(out, "b.bin")).equals(file.data)).toBe(true);
    expect(origin.ranges("/big.bin")).toHaveLength(requestsBefore);
    expect(origin.bytesServed("/big.bin")).toBe(servedBefore);
    expect(readdirSync(out).filter((f) => f.includes("dfget-"))).toEqual([]);
  });

  it("leaves no output and exits non-zero on a digest mismatch", async () => {
    const file = randomContent(MIB);
    origin.set("/wrong.bin", { data: file.data });
    const wrong = `sha256:${"0".repeat(64)}`;
    const r = await dfget(daemon.socket, [
      origin.url("/wrong.bin"),
      "-O",
      join(out, "wrong.bin"),
      "--digest",
      wrong,
    ]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(
      /^dfget: digest mismatch: expected sha256:0{64}, got sha256:[a-f0-9]{64}$/m,
    );
    expect(existsSync(join(out, "wrong.bin"))).toBe(false);
    expect(readdirSync(out).filter((f) => f.startsWith(".wrong.bin"))).toEqual([]);

    // The cached copy that failed the digest was dropped: the next download goes to the origin.
    const requests = origin.ranges("/wrong.bin").length;
    const again = await dfget(daemon.socket, [
      origin.url("/wrong.bin"),
      "-O",
      join(out, "wrong-again.bin"),
      "--digest",
      file.sha256,
    ]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(out, "wrong-again.bin")).equals(file.data)).toBe(true);
    expect(origin.ranges("/wrong.bin").length).toBeGreaterThan(requests);
  });

  it.each([
    {
      status: 404,
      message: /source responded 404 Not Found for http:\/\/127\.0\.0\.1:\d+\/s404\.bin$/m,
    },
    { status: 500, message: /source responded 500 Internal Server Error/ },
  ])("reports a source $status with its status and no output", async ({ status, message }) => {
    origin.set(`/s${status}.bin`, { data: Buffer.alloc(10), status });
    const r = await dfget(daemon.socket, [
      origin.url(`/s${status}.bin`),
      "-O",
      join(out, `s${status}.bin`),
    ]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(message);
    expect(existsSync(join(out, `s${status}.bin`))).toBe(false);
  });

  it("passes request headers such as Authorization to the source, and reports a 401 without them", async () => {
    const file = randomContent(2 * MIB);
    origin.set("/private.bin", { data: file.data, requireAuth: "Bearer s3cret" });
    const denied = await dfget(daemon.socket, [
      origin.url("/private.bin"),
      "-O",
      join(out, "p0.bin"),
    ]);
    expect(denied.code).toBe(1);
    expect(denied.output).toMatch(/source responded 401 Unauthorized/);
    const ok = await dfget(daemon.socket, [
      origin.url("/private.bin"),
      "-O",
      join(out, "p1.bin"),
      "-H",
      "Authorization: Bearer s3cret",
      "--tag",
      "auth",
    ]);
    expect(ok.code).toBe(0);
    expect(readFileSync(join(out, "p1.bin")).equals(file.data)).toBe(true);
    expect(origin.headersSeen("/private.bin").at(-1)?.authorization).toBe("Bearer s3cret");
    expect(daemon.proc.output()).not.toContain("s3cret");
  });

  it("retries a piece whose connection dropped mid-body and still delivers correct bytes", async () => {
    const file = randomContent(9 * MIB);
    origin.set("/flaky.bin", { data: file.data, dropFirstAttempt: true });
    const r = await dfget(daemon.socket, [
      origin.url("/flaky.bin"),
      "-O",
      join(out, "flaky.bin"),
      "--digest",
      file.sha256,
    ]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, "flaky.bin")).equals(file.data)).toBe(true);
    const pieceRequests = origin.ranges("/flaky.bin").filter((x) => x !== "bytes=0-0");
    expect(pieceRequests.length).toBe(6);
  });

  it("returns exactly the bytes of a range, fetching only the pieces it overlaps", async () => {
    const file = randomContent(12 * MIB);
    origin.set("/ranged.bin", { data: file.data });
    const start = 5 * MIB - 10;
    const end = 5 * MIB + 99;
    const r = await dfget(daemon.socket, [
      origin.url("/ranged.bin"),
      "-O",
      join(out, "range.bin"),
      "--range",
      `${start}-${end}`,
    ]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, "range.bin")).equals(file.data.subarray(start, end + 1))).toBe(
      true,
    );
    expect(origin.ranges("/ranged.bin").filter((x) => x !== "bytes=0-0")).toEqual([
      `bytes=${4 * MIB}-${8 * MIB - 1}`,
    ]);
  });

  it("fetches from an origin that ignores Range as one stream cut into pieces, resuming after a drop", async () => {
    const file = randomContent(10 * MIB + 321);
    origin.set("/norange.bin", { data: file.data, ignoreRange: true, dropFirstAttempt: true });
    const r = await dfget(daemon.socket, [
      origin.url("/norange.bin"),
      "-O",
      join(out, "norange.bin"),
      "--digest",
      file.sha256,
    ]);
    expect(r).toMatchObject({ code: 0 });
    expect(readFileSync(join(out, "norange.bin")).equals(file.data)).toBe(true);
    // The length probe, the stream that dropped half-way, and the one that finished.
    expect(origin.ranges("/norange.bin")).toEqual(["bytes=0-0", "", ""]);

    // Every piece is stored: a range of it is served without the origin.
    const requests = origin.ranges("/norange.bin").length;
    const again = await dfget(daemon.socket, [
      origin.url("/norange.bin"),
      "-O",
      join(out, "norange-part.bin"),
      "--range",
      `${9 * MIB}-${10 * MIB}`,
    ]);
    expect(again.code).toBe(0);
    expect(
      readFileSync(join(out, "norange-part.bin")).equals(file.data.subarray(9 * MIB, 10 * MIB + 1)),
    ).toBe(true);
    expect(origin.ranges("/norange.bin")).toHaveLength(requests);
  });

  it("reads only up to the last piece of a range from an origin that ignores Range", async () => {
    const file = randomContent(48 * MIB);
    origin.set("/norange-head.bin", { data: file.data, ignoreRange: true });
    const r = await dfget(daemon.socket, [
      origin.url("/norange-head.bin"),
      "-O",
      join(out, "norange-head.bin"),
      "--range",
      `100-${MIB}`,
    ]);
    expect(r).toMatchObject({ code: 0 });
    expect(
      readFileSync(join(out, "norange-head.bin")).equals(file.data.subarray(100, MIB + 1)),
    ).toBe(true);
    expect(origin.ranges("/norange-head.bin")).toEqual(["bytes=0-0", ""]);
    // The first 4 MiB piece was needed; the stream was dropped long before the 48 MiB end (the
    // origin also counts what loopback's socket buffers took before the drop: up to ~10 MB).
    expect(origin.bytesServed("/norange-head.bin")).toBeLessThan(24 * MIB);
  });

  it("times out with a clear reason", async () => {
    origin.set("/slow.bin", { data: Buffer.alloc(MIB), delayMs: 5_000 });
    const r = await dfget(daemon.socket, [
      origin.url("/slow.bin"),
      "-O",
      join(out, "slow.bin"),
      "--timeout",
      "1s",
    ]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/timed out after/);
    expect(existsSync(join(out, "slow.bin"))).toBe(false);
  });

  it("refuses to overwrite an existing file unless asked", async () => {
    const file = randomContent(1000);
    origin.set("/small.bin", { data: file.data });
    writeFileSync(join(out, "keep.bin"), "precious");
    const r = await dfget(daemon.socket, [origin.url("/small.bin"), "-O", join(out, "keep.bin")]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/already exists/);
    expect(readFileSync(join(out, "keep.bin"), "utf8")).toBe("precious");
    const again = await dfget(daemon.socket, [
      origin.url("/small.bin"),
      "-O",
      join(out, "keep.bin"),
      "--overwrite",
    ]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(out, "keep.bin")).equals(file.data)).toBe(true);
  });

  it("fails with a clear reason when back-to-source is disabled and no peer has the task", async () => {
    origin.set("/nobts.bin", { data: Buffer.alloc(100) });
    const r = await dfget(daemon.socket, [
      origin.url("/nobts.bin"),
      "-O",
      join(out, "nobts.bin"),
      "--disable-back-to-source",
    ]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/back-to-source is disabled/);
    expect(origin.ranges("/nobts.bin")).toEqual([]);
  });

  it("refuses a piece length outside the rules before the origin or a scheduler hears of it", async () => {
    origin.set("/piece-length.bin", { data: Buffer.alloc(100) });
    const r = await dfget(daemon.socket, [
      origin.url("/piece-length.bin"),
      "-O",
      join(out, "piece-length.bin"),
      "--piece-length",
      "3MiB",
    ]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(
      /piece length 3145728 must be a power of two between 64 KiB and 1 GiB/,
    );
    expect(origin.ranges("/piece-length.bin")).toEqual([]);
    expect(existsSync(join(out, "piece-length.bin"))).toBe(false);
  });

  it("names the socket when the daemon is unreachable", async () => {
    const r = await dfget(join(out, "nope.sock"), [
      origin.url("/big.bin"),
      "-O",
      join(out, "x.bin"),
    ]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/cannot reach dfdaemon at .*nope\.sock/);
  });

  it.each([
    {
      args: ["not a url", "-O", "/tmp/x"],
      message: /url: "not a url" is not an http or https URL/,
    },
    { args: ["http://a/b"], message: /--output: is required/ },
    {
      args: ["http://a/b", "-O", "/tmp/x", "--digest", "md5:abc"],
      message: /digest "md5:abc" must be sha256/,
    },
    {
      args: ["http://a/b", "-O", "/tmp/x", "--timeout", "soon"],
      message: /--timeout: "soon" is not a duration/,
    },
    {
      args: ["http://a/b", "-O", "/tmp/x", "-H", "novalue"],
      message: /--header: "novalue" must look like/,
    },
    { args: ["http://a/b", "-O", "/tmp/x", "--bogus"], message: /--bogus: unknown flag/ },
  ])("exits 2 on bad arguments: $message", async ({ args, message }) => {
    const r = await dfget(daemon.socket, args);
    expect(r.code).toBe(2);
    expect(r.output).toMatch(message);
  });
});
