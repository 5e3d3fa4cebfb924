/**
 * `pnpm bench proxy [--size BYTES] [--blob-size BYTES] [--link BYTES_PER_S]`: (1) pass-through
 * throughput, `curl -x` through a dfdaemon proxy against the same curl straight to the origin,
 * alternated in one run, unpaced (on a small machine this mostly measures three processes sharing
 * the cores) and with the origin paced to a link rate (default 1 Gbit/s); unpaced, a minimal
 * node:http pipe proxy (bench/proxy-support/minimal-proxy.mjs) runs in the same rotation, as a
 * reference for what any Node proxy does on the same machine, and so does a C relay that moves
 * the bytes with splice(2) and parses nothing (bench/proxy-support/splice-relay.c, built with the
 * system's `cc` when there is one): the ceiling for any proxy on the machine;
 * (2) one registry blob pulled through the mirrors of two peers of a swarm against the same blob
 * pulled from the registry directly, with the bytes the registry served as a multiple of the blob.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { parseArgs } from "@df/config";

import { startSwarm } from "../apps/scheduler/test/support/swarm";
import { startDaemon } from "../apps/dfdaemon/test/support/daemon";
import { pushBlob } from "../apps/dfdaemon/test/support/oci-image";
import { proxyPortOf } from "../apps/dfdaemon/test/support/proxy-client";
import { startRegistry, TOKEN } from "../apps/dfdaemon/test/support/registry";
import { startMinimalProxy } from "./proxy-support/minimal-proxy";
import { startSpliceRelay } from "./proxy-support/splice-relay";
import { startFileOrigin } from "./support/file-origin";
import { writeRandomFile } from "./support/files";

/** curl fetches a URL to /dev/null and returns the seconds it took. */
async function curl(args: string[]): Promise<number> {
  const t = performance.now();
  const child = spawn("curl", ["-sf", "-o", "/dev/null", ...args], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const code = await new Promise<number | null>((r) => child.once("exit", r));
  if (code !== 0) throw new Error(`curl ${args.join(" ")} failed with ${code}`);
  return (performance.now() - t) / 1000;
}

const log = (m: string) => process.stderr.write(`bench proxy: ${m}\n`);
const mbps = (bytes: number, s: number) => Math.round(bytes / s / 1e6);
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * passThrough times the origin directly and through the proxy, alternating, `rounds` times each,
 * unpaced and then with the origin paced to `link` bytes/s (a registry behind a real link).
 */
async function passThrough(dir: string, size: number, link: number, rounds = 3) {
  const src = join(dir, "source.bin");
  log(`writing a ${size} byte source file`);
  await writeRandomFile(src, size);
  const daemon = await startDaemon("bench-proxy", ["--log.level=warn"]);
  const proxy = `http://127.0.0.1:${proxyPortOf(daemon)}`;
  const minimal = await startMinimalProxy();
  const measure = async (pace: number) => {
    const origin = await startFileOrigin(src, pace);
    const relay = pace ? undefined : await startSpliceRelay(Number(new URL(origin.url).port));
    if (!pace && !relay) log("no C compiler (apt-get install gcc): no splice relay reference");
    const direct: number[] = [];
    const via: number[] = [];
    const ref: number[] = [];
    const floor: number[] = [];
    try {
      if (!pace) await curl([origin.url]); // warm the page cache
      for (let i = 0; i < rounds; i++) {
        log(`pass-through ${pace ? `paced to ${pace} B/s` : "unpaced"}, round ${i + 1}/${rounds}`);
        direct.push(await curl([origin.url]));
        via.push(await curl(["-x", proxy, origin.url]));
        if (!pace) ref.push(await curl(["-x", minimal.url, origin.url]));
        if (relay) floor.push(await curl([`${relay.base}${new URL(origin.url).pathname}`]));
      }
    } finally {
      relay?.stop();
      await origin.close();
    }
    return {
      direct: avg(direct),
      via: avg(via),
      minimal: ref.length ? avg(ref) : 0,
      relay: floor.length ? avg(floor) : 0,
    };
  };
  try {
    return { unpaced: await measure(0), paced: await measure(link) };
  } finally {
    minimal.stop();
    await daemon.stop();
    rmSync(src, { force: true });
  }
}

/** blobThroughPeers pulls one blob from the registry, then through two peers' mirrors in turn. */
async function blobThroughPeers(size: number) {
  const registry = await startRegistry();
  const swarm = await startSwarm({
    peers: 2,
    daemonFlags: [`--proxy.registryMirror.addr=${registry.url}`, "--log.level=warn"],
  });
  try {
    log(`pushing a ${size} byte blob`);
    const digest = await pushBlob(registry.direct, "bench/blob", randomBytes(size));
    const path = `/v2/bench/blob/blobs/${digest}`;
    const auth = ["-H", `Authorization: Bearer ${TOKEN}`];
    log("blob from the registry directly");
    const direct = await curl([...auth, `${registry.url}${path}`]);
    const before = registry.blobBytes(digest);
    const peers: number[] = [];
    for (const peer of swarm.peers) {
      log(`blob through ${peer.args.find((a) => a.startsWith("--host.hostname="))} proxy`);
      peers.push(await curl([...auth, `http://127.0.0.1:${proxyPortOf(peer)}${path}`]));
    }
    return { direct, peers, servedRatio: (registry.blobBytes(digest) - before) / size };
  } finally {
    await swarm.stop();
    await registry.close();
  }
}

/** run executes the benchmark and prints one JSON line. */
export async function run(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv);
  const size = Number(flags.get("size")?.at(-1) ?? 1024 ** 3);
  const blobSize = Number(flags.get("blob-size")?.at(-1) ?? 256 * 1024 ** 2);
  const link = Number(flags.get("link")?.at(-1) ?? 125_000_000);
  const dir = mkdtempSync(join(tmpdir(), "df-bench-proxy-"));
  try {
    const pt = await passThrough(dir, size, link);
    const blob = await blobThroughPeers(blobSize);
    console.log(
      JSON.stringify({
        bench: "proxy",
        size_bytes: size,
        direct_mb_s: mbps(size, pt.unpaced.direct),
        proxy_mb_s: mbps(size, pt.unpaced.via),
        passthrough_ratio: +(pt.unpaced.direct / pt.unpaced.via).toFixed(3),
        minimal_node_proxy_mb_s: mbps(size, pt.unpaced.minimal),
        minimal_node_proxy_ratio: +(pt.unpaced.direct / pt.unpaced.minimal).toFixed(3),
        splice_relay_mb_s: pt.unpaced.relay ? mbps(size, pt.unpaced.relay) : null,
        splice_relay_ratio: pt.unpaced.relay
          ? +(pt.unpaced.direct / pt.unpaced.relay).toFixed(3)
          : null,
        link_bytes_s: link,
        paced_direct_mb_s: mbps(size, pt.paced.direct),
        paced_proxy_mb_s: mbps(size, pt.paced.via),
        paced_passthrough_ratio: +(pt.paced.direct / pt.paced.via).toFixed(3),
        blob_bytes: blobSize,
        registry_direct_s: +blob.direct.toFixed(2),
        peer_a_cold_s: +(blob.peers[0] ?? 0).toFixed(2),
        peer_b_from_swarm_s: +(blob.peers[1] ?? 0).toFixed(2),
        peer_b_ratio_vs_direct: +(blob.direct / (blob.peers[1] ?? 1)).toFixed(3),
        registry_bytes_served_ratio: +blob.servedRatio.toFixed(3),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
