import { createHash, randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";

/** TestImage is a multi-layer OCI image held in memory: blobs by digest and its manifest. */
export interface TestImage {
  manifest: Buffer;
  manifestDigest: string;
  /** blobs maps `sha256:<hex>` to bytes: the config and every layer. */
  blobs: Map<string, Buffer>;
  layerDigests: string[];
}

/** sha256 is the `sha256:<hex>` digest of bytes. */
export const sha256 = (b: Buffer): string =>
  `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** makeImage builds an image with gzip layers of random bytes of the given uncompressed sizes. */
export function makeImage(layerSizes: number[]): TestImage {
  const raw = layerSizes.map((n) => randomBytes(n));
  const layers = raw.map((r) => gzipSync(r, { level: 1 }));
  const config = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: {},
      rootfs: { type: "layers", diff_ids: raw.map(sha256) },
    }),
  );
  const descriptor = (mediaType: string, b: Buffer) => ({
    mediaType,
    digest: sha256(b),
    size: b.length,
  });
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: descriptor("application/vnd.oci.image.config.v1+json", config),
      layers: layers.map((l) => descriptor("application/vnd.oci.image.layer.v1.tar+gzip", l)),
    }),
  );
  const blobs = new Map<string, Buffer>([[sha256(config), config]]);
  for (const l of layers) blobs.set(sha256(l), l);
  return { manifest, manifestDigest: sha256(manifest), blobs, layerDigests: layers.map(sha256) };
}

/** pushBlob uploads one blob with a POST then a PUT (a monolithic upload). */
export async function pushBlob(registry: string, name: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const start = await fetch(`${registry}/v2/${name}/blobs/uploads/`, { method: "POST" });
  const location = start.headers.get("location");
  if (start.status !== 202 || !location) throw new Error(`upload start answered ${start.status}`);
  const url = new URL(location, registry);
  url.searchParams.set("digest", digest);
  const put = await fetch(url, {
    method: "PUT",
    headers: { "content-type": "application/octet-stream" },
    body: new Uint8Array(data),
  });
  if (put.status !== 201) throw new Error(`blob ${digest} upload answered ${put.status}`);
  return digest;
}

/** pushImage uploads every blob and then the manifest to a registry over plain HTTP. */
export async function pushImage(
  registry: string,
  name: string,
  tag: string,
  image: TestImage,
): Promise<void> {
  for (const data of image.blobs.values()) await pushBlob(registry, name, data);
  const res = await fetch(`${registry}/v2/${name}/manifests/${tag}`, {
    method: "PUT",
    headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
    body: new Uint8Array(image.manifest),
  });
  if (res.status !== 201)
    throw new Error(`manifest upload answered ${res.status}: ${await res.text()}`);
}
