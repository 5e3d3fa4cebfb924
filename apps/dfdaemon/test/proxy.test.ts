import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { waitFor } from "@df/testkit";

import { startSwarm, type Swarm } from "../../scheduler/test/support/swarm";
import { taskId } from "../src/task/task-id";
import { makeImage, pushImage, sha256, type TestImage } from "./support/oci-image";
import { randomContent, startOrigin, type Origin } from "./support/origin";
import { proxyPortOf, viaProxy, type Answer } from "./support/proxy-client";
import { startRegistry, TOKEN, type TestRegistry } from "./support/registry";
import { dfinit, run } from "./support/tools";

const MIB = 1024 * 1024;
const BEARER = { authorization: `Bearer ${TOKEN}` };

describe("proxy and registry mirror on a swarm (issue 7)", () => {
  let registry: TestRegistry;
  let origin: Origin;
  let swarm: Swarm;
  let image: TestImage;
  let work: string;
  const port = (i: number) => proxyPortOf(swarm.peers[i] ?? swarm.seed);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "df-proxy-"));
    registry = await startRegistry({ redirectBlobs: true });
    image = makeImage([6 * MIB + 5, MIB, 3000]);
    await pushImage(registry.direct, "team/app", "v1", image);
    origin = await startOrigin();
    swarm = await startSwarm({
      peers: 2,
      daemonFlags: [
        `--proxy.registryMirror.addr=${registry.url}`,
        "--proxy.rules=blobs/sha256.*,/ranged/",
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await swarm?.stop();
    await registry?.close();
    await origin?.close();
  });

  it("skopeo pulls a multi-layer image through the mirrors of two peers; the registry serves each blob once", async () => {
    for (const i of [0, 1]) {
      const conf = `/registries-${i}.conf`;
      const init = await dfinit(
        [
          "--runtime",
          "crio",
          "--proxy",
          `http://127.0.0.1:${port(i)}`,
          "--registry",
          "registry.test",
        ].concat(["--registries-conf", conf, "--write", "--root", work]),
      );
      expect(init.code, init.stderr).toBe(0);
      const out = join(work, `pull-${i}`);
      // registry.test never resolves: the image can only come through the mirror.
      const pull = await run("skopeo", [
        "--registries-conf",
        join(work, conf),
        "--insecure-policy",
        "copy",
        "docker://registry.test/team/app:v1",
        `dir:${out}`,
      ]);
      expect(pull.code, pull.stderr).toBe(0);
      expect(readFileSync(join(out, "manifest.json")).equals(image.manifest)).toBe(true);
      for (const digest of image.blobs.keys())
        expect(sha256(readFileSync(join(out, digest.slice("sha256:".length))))).toBe(digest);
    }
    for (const [digest, data] of image.blobs) {
      expect(registry.blobBytes(digest)).toBeGreaterThanOrEqual(data.length);
      expect(
        registry.blobBytes(digest),
        `blob ${digest} served more than once`,
      ).toBeLessThanOrEqual(data.length + 2);
    }
    expect(registry.requests.filter((r) => r.startsWith("GET /objects/")).length).toBeGreaterThan(
      0,
    );
    expect(registry.authorizations).toContain(`Bearer ${TOKEN}`);
  }, 120_000);

  it("serves a blob named by X-Dragonfly-Registry through P2P, whole (digest checked) and by Range", async () => {
    const digest = image.layerDigests[0] ?? "";
    const data = image.blobs.get(digest) ?? Buffer.alloc(0);
    const path = `/v2/team/app/blobs/${digest}`;
    const headers = { ...BEARER, "x-dragonfly-registry": registry.url };
    const whole = await viaProxy(port(1), path, { headers });
    expect(whole.status).toBe(200);
    expect(whole.headers["x-dragonfly-via"]).toBe("p2p");
    expect(whole.headers["docker-content-digest"]).toBe(digest);
    expect(sha256(whole.body)).toBe(digest);
    const part = await viaProxy(port(0), path, {
      headers: { ...headers, range: "bytes=4194000-4194999" },
    });
    expect(part.status).toBe(206);
    expect(part.headers["content-range"]).toBe(`bytes 4194000-4194999/${data.length}`);
    expect(part.body.equals(data.subarray(4194000, 4195000))).toBe(true);
  });

  it("passes manifests, pings and HEAD straight through in mirror mode, headers preserved", async () => {
    const ping = await viaProxy(port(0), "/v2/");
    expect(ping.status).toBe(401);
    expect(ping.headers["www-authenticate"]).toMatch(
      /^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/token"/,
    );
    expect(ping.headers["x-dragonfly-via"]).toBe("source");
    const accept = { accept: "application/vnd.oci.image.manifest.v1+json" };
    const head = await viaProxy(port(0), "/v2/team/app/manifests/v1", {
      method: "HEAD",
      headers: { ...BEARER, ...accept },
    });
    expect(head.status).toBe(200);
    expect(head.headers["docker-content-digest"]).toBe(image.manifestDigest);
    expect(head.body.length).toBe(0);
    const get = await viaProxy(port(1), "/v2/team/app/manifests/v1", {
      headers: { ...BEARER, ...accept },
    });
    expect(get.body.equals(image.manifest)).toBe(true);
    expect(get.headers["x-dragonfly-via"]).toBe("source");
  });

  it.each([
    { range: "bytes=0-99", start: 0, end: 99 },
    { range: "bytes=4194300-4194999", start: 4194300, end: 4194999 },
    { range: "bytes=-100", start: 9 * MIB + 17 - 100, end: 9 * MIB + 16 },
    { range: "bytes=9000000-", start: 9000000, end: 9 * MIB + 16 },
    { range: "bytes=5000000-99999999", start: 5000000, end: 9 * MIB + 16 },
  ])(
    "answers Range $range from P2P with the exact bytes and 206",
    async ({ range, start, end }) => {
      const file = ranged();
      const r = await viaProxy(port(0), origin.url("/ranged/big.bin"), { headers: { range } });
      expect(r.status).toBe(206);
      expect(r.headers["x-dragonfly-via"]).toBe("p2p");
      expect(r.headers["content-range"]).toBe(`bytes ${start}-${end}/${file.length}`);
      expect(r.headers["content-length"]).toBe(String(end - start + 1));
      expect(r.body.equals(file.subarray(start, end + 1))).toBe(true);
      expect(origin.bytesServed("/ranged/big.bin")).toBeLessThanOrEqual(file.length + 2);
    },
  );

  it("answers 416 for a range past the end", async () => {
    const file = ranged();
    const r = await viaProxy(port(1), origin.url("/ranged/big.bin"), {
      headers: { range: "bytes=20000000-" },
    });
    expect(r.status).toBe(416);
    expect(r.headers["content-range"]).toBe(`bytes */${file.length}`);
  });

  let rangedFile: Buffer | undefined;
  /** ranged puts one 9 MiB file (three pieces) on the origin, once. */
  function ranged(): Buffer {
    if (!rangedFile) {
      rangedFile = randomContent(9 * MIB + 17).data;
      origin.set("/ranged/big.bin", { data: rangedFile });
    }
    return rangedFile;
  }

  it("passes non-matching URLs through byte for byte, and never delivers a blob failing its digest", async () => {
    const file = randomContent(3 * MIB + 1);
    origin.set("/plain/file.bin", { data: file.data });
    const plain = await viaProxy(port(0), origin.url("/plain/file.bin"));
    expect(plain.status).toBe(200);
    expect(plain.headers["x-dragonfly-via"]).toBe("source");
    expect(plain.body.equals(file.data)).toBe(true);
    const off = await viaProxy(port(0), origin.url("/ranged/big.bin"), {
      headers: { "x-dragonfly-use-p2p": "false" },
    });
    expect(off.headers["x-dragonfly-via"]).toBe("source");
    const liar = `/v2/x/blobs/sha256:${"ab".repeat(32)}`;
    origin.set(liar, { data: randomContent(1000).data });
    for (let i = 0; i < 2; i++) {
      // Cut mid-body, or refused before it: never a whole answer with the wrong bytes.
      const r = await viaProxy(port(1), origin.url(liar)).catch((e: unknown) => e);
      if (!(r instanceof Error)) expect((r as Answer).status).toBeGreaterThanOrEqual(500);
    }
    // Nor is it kept: neither the peer nor the seed peer holds the task afterwards.
    const id = taskId({ url: origin.url(liar) });
    const holds = (dataDir: string) => existsSync(join(dataDir, "metadata", "tasks", `${id}.json`));
    await waitFor(
      "the corrupt task to be dropped",
      () => Promise.resolve(!holds(swarm.peers[1]?.dataDir ?? "") && !holds(swarm.seed.dataDir)),
      10_000,
    );
  });

  it("derives the task id from X-Dragonfly-Tag, -Application and -Filtered-Query-Params", async () => {
    origin.set("/ranged/small.bin", { data: randomContent(1000).data });
    const id = async (query: string, headers: Record<string, string> = {}) => {
      const r = await viaProxy(port(0), origin.url(`/ranged/small.bin${query}`), { headers });
      expect(r.status).toBe(200);
      return r.headers["x-dragonfly-task-id"];
    };
    const plain = await id("");
    expect(await id("?X-Amz-Signature=abc")).toBe(plain);
    expect(await id("?sig=1", { "x-dragonfly-filtered-query-params": "sig" })).toBe(plain);
    expect(await id("?sig=1")).not.toBe(plain);
    expect(await id("", { "x-dragonfly-tag": "t" })).not.toBe(plain);
    expect(await id("", { "x-dragonfly-application": "a" })).not.toBe(plain);
  });
});
