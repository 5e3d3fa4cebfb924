import { readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { dfget, randomContent, startOrigin, startSwarm } from "./support/swarm";

const MIB = 1024 * 1024;

describe("swarm smoke", () => {
  it("two peers get a file through the seed peer; the origin serves it once", async () => {
    const origin = await startOrigin();
    const swarm = await startSwarm({ peers: 2, schedulerFlags: ["--log.level=debug"] });
    const out = mkdtempSync(join(tmpdir(), "df-swarm-"));
    try {
      const file = randomContent(20 * MIB);
      origin.set("/f.bin", { data: file.data });
      const results = await Promise.all(
        swarm.peers.map((p, i) =>
          dfget(p.socket, [
            origin.url("/f.bin"),
            "-O",
            join(out, `p${i}.bin`),
            "--digest",
            file.sha256,
          ]),
        ),
      );
      for (const r of results) expect(r).toMatchObject({ code: 0 });
      for (let i = 0; i < 2; i++)
        expect(readFileSync(join(out, `p${i}.bin`)).equals(file.data)).toBe(true);
      expect(origin.bytesServed("/f.bin")).toBeLessThanOrEqual(file.data.length * 1.05);
    } finally {
      await swarm.stop();
      await origin.close();
    }
  });
});
