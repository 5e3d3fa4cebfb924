import { describe, expect, it } from "vitest";

import { choosePieceLength, interestedPieces, pieceCount } from "./pieces";

const MIB = 1024 * 1024;

describe("choosePieceLength", () => {
  it.each([
    { name: "a tiny file gets the 4 MiB minimum", length: 10, expected: 4 * MIB },
    { name: "up to about 2.1 GB stays at 4 MiB", length: 2_097_152_499, expected: 4 * MIB },
    { name: "4 GiB gets 16 MiB", length: 4 * 1024 * MIB, expected: 16 * MIB },
    { name: "a huge file is capped at 64 MiB", length: 1024 * 1024 * MIB, expected: 64 * MIB },
  ])("$name", ({ length, expected }) => expect(choosePieceLength(length)).toBe(expected));

  it("honours an explicit power of two and refuses anything else", () => {
    expect(choosePieceLength(100, 2 * MIB)).toBe(2 * MIB);
    expect(choosePieceLength(100, 64 * 1024)).toBe(64 * 1024);
    expect(() => choosePieceLength(100, 3 * MIB)).toThrow(/power of two/);
    expect(() => choosePieceLength(100, 32 * 1024)).toThrow(/between 64 KiB and 1 GiB/);
    expect(() => choosePieceLength(100, 2048 * MIB)).toThrow(/between 64 KiB and 1 GiB/);
  });
});

describe("interestedPieces", () => {
  it("covers the whole content, the last piece shorter", () => {
    const pieces = interestedPieces(10, 4);
    expect(pieces).toEqual([
      { number: 0, offset: 0, length: 4 },
      { number: 1, offset: 4, length: 4 },
      { number: 2, offset: 8, length: 2 },
    ]);
    expect(pieceCount(10, 4)).toBe(3);
  });

  it("selects only the pieces a range overlaps", () => {
    expect(interestedPieces(10, 4, { start: 3, length: 2 }).map((p) => p.number)).toEqual([0, 1]);
    expect(interestedPieces(10, 4, { start: 8, length: 2 }).map((p) => p.number)).toEqual([2]);
  });

  it("refuses a range outside the content", () => {
    expect(() => interestedPieces(10, 4, { start: 8, length: 5 })).toThrow(/outside the content/);
  });

  it("has no pieces for empty content", () => {
    expect(interestedPieces(0, 4)).toEqual([]);
  });
});
