import { randomBytes } from "node:crypto";
import { crc32 as zlibCrc32 } from "node:zlib";
import { describe, expect, it } from "vitest";

import { crc32, crc32Backend } from "./crc32";

describe("crc32", () => {
  it("uses the carry-less-multiply implementation where its binary exists", () => {
    const supported = process.platform === "linux" && process.arch === "x64";
    if (supported) expect(crc32Backend()).toBe("native");
    else expect(["native", "zlib"]).toContain(crc32Backend());
  });

  it("gives zlib's CRC-32 for every length, alignment and running value", () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    for (const [start, end] of [
      [0, 0],
      [0, 1],
      [5, 70],
      [1, 1024 * 1024 + 3],
      [0, data.length],
    ] as const) {
      const part = data.subarray(start, end);
      expect(crc32(part)).toBe(zlibCrc32(part));
      expect(crc32(part, 0xdeadbeef)).toBe(zlibCrc32(part, 0xdeadbeef));
    }
    // Chained over chunks equals one pass, as the piece sink uses it.
    let running = 0;
    for (let at = 0; at < data.length; at += 65_536) {
      running = crc32(data.subarray(at, at + 65_536), running);
    }
    expect(running).toBe(zlibCrc32(data));
  });

  it("reads buffers over shared memory", () => {
    const shared = Buffer.from(new SharedArrayBuffer(4096));
    randomBytes(4096).copy(shared);
    expect(crc32(shared)).toBe(zlibCrc32(Buffer.from(shared)));
  });
});
