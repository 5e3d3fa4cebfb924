import { Readable } from "node:stream";

import { describe, expect, it } from "vitest";

import { BodyReader } from "./whole-body";

/** sinkOf collects what `take` writes, answering false (pause) every other write. */
function sinkOf() {
  const got: Buffer[] = [];
  let calls = 0;
  const sink = {
    onDrain: () => undefined as void,
    write(chunk: Buffer) {
      got.push(Buffer.from(chunk));
      if (++calls % 2 === 0) {
        setImmediate(() => sink.onDrain());
        return false;
      }
      return true;
    },
  };
  return { sink, bytes: () => Buffer.concat(got) };
}

describe("BodyReader", () => {
  const data = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
  const chunked = () =>
    Readable.from([data.subarray(0, 7), data.subarray(7, 60), data.subarray(60)]);

  it("hands out exact counts across chunk boundaries, skipping where asked", async () => {
    const reader = new BodyReader(chunked());
    const a = sinkOf();
    await reader.take(10, a.sink);
    await reader.skip(45);
    const b = sinkOf();
    await reader.take(45, b.sink);
    expect(a.bytes()).toEqual(data.subarray(0, 10));
    expect(b.bytes()).toEqual(data.subarray(55, 100));
  });

  it("fails with the byte count when the body ends early", async () => {
    const reader = new BodyReader(chunked());
    await reader.skip(90);
    await expect(reader.take(20, sinkOf().sink)).rejects.toThrow(
      "source body ended after 100 bytes",
    );
  });
});
