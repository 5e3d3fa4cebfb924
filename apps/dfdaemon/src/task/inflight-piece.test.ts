import { describe, expect, it } from "vitest";

import { InflightPiece, KEEP_BUDGET } from "./inflight-piece";

const span = { number: 3, offset: 24, length: 8 };

describe("InflightPiece", () => {
  it("sends nothing until the digest is known", () => {
    const p = new InflightPiece(span);
    p.push(Buffer.from("ABCD"));
    expect(p.sendable(0).length).toBe(0);
    p.setDigest("crc32:1");
    expect(p.sendable(0).toString()).toBe("ABCD");
    p.fail();
  });

  it("holds back the last byte until verified, then sends it", () => {
    const p = new InflightPiece(span);
    p.setDigest("crc32:1");
    const input = Buffer.from("ABCDEFGH");
    p.push(input.subarray(0, 5));
    expect(p.sendable(0).toString()).toBe("ABCDE");
    p.push(input.subarray(5));
    // Every byte is here, but not checked: the last one waits.
    expect(p.sendable(5).toString()).toBe("FG");
    expect(p.sendable(7).length).toBe(0);
    p.verify();
    expect(p.sendable(7).toString()).toBe("H");
    expect(p.sendable(8).length).toBe(0);
  });

  it("copies what it is given, so the caller may reuse its buffer", () => {
    const p = new InflightPiece(span);
    p.setDigest("crc32:1");
    const scratch = Buffer.from("ABCD");
    p.push(scratch);
    scratch.fill(0);
    expect(p.sendable(0).toString()).toBe("ABCD");
    p.fail();
  });

  it("sends nothing more once failed, and a verify after a short piece fails it", () => {
    const p = new InflightPiece(span);
    p.setDigest("crc32:1");
    p.push(Buffer.from("ABC"));
    p.fail();
    expect(p.failed).toBe(true);
    expect(p.sendable(0).length).toBe(0);
    const short = new InflightPiece(span);
    short.setDigest("crc32:1");
    short.push(Buffer.from("ABC"));
    short.verify();
    expect(short.failed).toBe(true);
  });

  it("fails on more bytes than the piece has", () => {
    const p = new InflightPiece(span);
    p.setDigest("crc32:1");
    p.push(Buffer.from("ABCDEFGHI"));
    expect(p.failed).toBe(true);
  });

  it("keeps nothing when asked not to (no child follows this peer)", () => {
    const p = new InflightPiece(span, false);
    p.setDigest("crc32:1");
    p.push(Buffer.from("ABCD"));
    expect(p.kept).toBe(false);
    expect(p.sendable(0).length).toBe(0);
    p.fail();
  });

  it("keeps no more than its budget across pieces, and gives it back when a piece settles", () => {
    const big = (n: number) => new InflightPiece({ number: n, offset: 0, length: KEEP_BUDGET / 2 });
    const a = big(0);
    const b = big(1);
    expect([a.kept, b.kept, big(2).kept]).toEqual([true, true, false]);
    a.fail();
    const c = big(3);
    expect(c.kept).toBe(true);
    b.fail();
    c.fail();
    expect(new InflightPiece({ number: 4, offset: 0, length: KEEP_BUDGET + 1 }).kept).toBe(false);
  });

  /** followed returns a verified piece of `text`, held by one follower, and that follower's view. */
  const followed = (text: string) => {
    const p = new InflightPiece({ number: 0, offset: 0, length: text.length });
    p.setDigest("crc32:1");
    p.push(Buffer.from(text));
    p.verify();
    expect(p.hold()).toBe(true);
    return { p, view: p.sendable(0) };
  };
  /** arriving starts the next piece of that length, taking a pooled buffer if one is free. */
  const arriving = (text: string, number = 1) => {
    const p = new InflightPiece({ number, offset: 0, length: text.length });
    p.push(Buffer.from(text));
    return p;
  };

  it("recycles its buffer only once retired and released cleanly by every follower", () => {
    // A length no other test uses, so the pool holds only this test's buffers.
    const { p: first, view } = followed("ABCDEFGHIJKLM");
    first.retire();
    // Retired: no new follower may start, but the one holding it still reads the same bytes.
    expect(first.hold()).toBe(false);
    const other = arriving("nnnnnnnnnnnnn");
    expect(view.toString()).toBe("ABCDEFGHIJKLM");
    other.retire();
    first.release(true);
    // Now the buffer is free for the next piece of that length, which overwrites it.
    const next = arriving("zzzzzzzzzzzzz", 2);
    expect(view.toString()).toBe("zzzzzzzzzzzzz");
    next.retire();
  });

  it("does not recycle a buffer a follower's socket may still hold", () => {
    const { p, view } = followed("ABCDEFGHIJKLMNOPQ");
    p.retire();
    p.release(false);
    const next = arriving("zzzzzzzzzzzzzzzzz");
    expect(view.toString()).toBe("ABCDEFGHIJKLMNOPQ");
    next.retire();
  });

  it("wakes followers at each piece of news and at once when settled", async () => {
    const p = new InflightPiece(span);
    let woken = 0;
    const wait = p.changed().then(() => woken++);
    p.push(Buffer.from("A"));
    await wait;
    expect(woken).toBe(1);
    p.verify(); // short: fails
    await p.changed(); // settled: resolves at once
  });
});
