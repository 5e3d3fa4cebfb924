/**
 * Image preheat resolution: a manifest URL becomes the URLs of the image's config and layer
 * blobs for one platform, plus the headers (with the registry token) seed peers need to pull them.
 */
import { MANIFEST_URL } from "./args";
import {
  authorize,
  registryFetch,
  sourceError,
  type Credentials,
  type Registry,
} from "./registry-auth";

/** MANIFEST_ACCEPT lists every manifest media type a registry may answer with. */
const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.v1+prettyjws",
  "application/vnd.docker.distribution.manifest.v1+json",
].join(", ");

/** MAX_CHILD_MANIFESTS bounds how many manifests of an index one platform may select. */
const MAX_CHILD_MANIFESTS = 8;

/** ResolvedImage is what a scheduler needs to preheat an image. */
export interface ResolvedImage {
  urls: string[];
  headers: Record<string, string>;
}

interface Descriptor {
  digest?: string;
  platform?: { os?: string; architecture?: string; variant?: string };
}

interface ManifestJson {
  mediaType?: string;
  manifests?: Descriptor[];
  config?: Descriptor;
  layers?: Descriptor[];
  fsLayers?: Array<{ blobSum?: string }>;
}

/** parseManifestUrl splits a manifest URL; the caller validated its shape. */
function parseManifestUrl(url: string): Registry & { reference: string } {
  const m = MANIFEST_URL.exec(url);
  if (!m?.[1] || !m[2] || !m[3] || !m[4]) throw sourceError(`${url} is not a manifest URL`);
  return { scheme: m[1], host: m[2], repository: m[3], reference: m[4] };
}

/** matchesPlatform applies `os/arch[/variant]`; a missing variant matches any. */
export function matchesPlatform(d: Descriptor, platform: string): boolean {
  const [os, arch, variant] = platform.split("/");
  const p = d.platform;
  if (!p || p.os !== os || p.architecture !== arch) return false;
  return !variant || p.variant === variant;
}

/** platformsOf lists an index's platforms, for the error when none matches. */
const platformsOf = (ds: Descriptor[]): string =>
  ds
    .map((d) =>
      [d.platform?.os, d.platform?.architecture, d.platform?.variant].filter(Boolean).join("/"),
    )
    .filter(Boolean)
    .join(", ") || "none";

/** fetchManifest GETs one manifest by tag or digest. */
async function fetchManifest(
  reg: Registry,
  reference: string,
  headers: Record<string, string>,
): Promise<ManifestJson> {
  const url = `${reg.scheme}://${reg.host}/v2/${reg.repository}/manifests/${reference}`;
  const res = await registryFetch(url, { ...headers, accept: MANIFEST_ACCEPT }, "registry");
  if (res.status === 401 || res.status === 403)
    throw sourceError(
      `registry ${reg.host} answered ${res.status} for manifest ${reg.repository}:${reference}: the credentials were refused or lack pull access`,
    );
  if (res.status === 404)
    throw sourceError(`manifest ${reg.repository}:${reference} not found on ${reg.host}`);
  if (!res.ok)
    throw sourceError(`registry ${reg.host} answered ${res.status} for manifest ${reference}`);
  try {
    return (await res.json()) as ManifestJson;
  } catch {
    throw sourceError(`manifest ${reg.repository}:${reference} is not JSON`);
  }
}

/** blobDigestsOf lists the config and layer digests of an image manifest (schema 1, 2 or OCI). */
function blobDigestsOf(m: ManifestJson): string[] {
  const digests = [m.config?.digest, ...(m.layers ?? []).map((l) => l.digest)];
  for (const l of m.fsLayers ?? []) digests.push(l.blobSum);
  return digests.filter((d): d is string => typeof d === "string" && d.includes(":"));
}

/**
 * resolveImage turns a manifest URL into blob URLs. An image index (manifest list) is narrowed to
 * `platform` and each matching manifest is fetched by digest. The returned headers carry the
 * Authorization actually used, so seed peers can pull the blobs.
 */
export async function resolveImage(
  url: string,
  platform: string,
  credentials: Credentials,
): Promise<ResolvedImage> {
  const { reference, ...reg } = parseManifestUrl(url);
  const auth = await authorize(reg, credentials);
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(credentials.headers).filter(([k]) => k.toLowerCase() !== "authorization"),
  );
  if (auth) headers.Authorization = auth;
  const top = await fetchManifest(reg, reference, headers);
  let manifests = [top];
  if (Array.isArray(top.manifests)) {
    const chosen = top.manifests.filter((d) => matchesPlatform(d, platform));
    if (!chosen.length)
      throw sourceError(
        `image index ${reg.repository}:${reference} has no manifest for platform ${platform} (it has: ${platformsOf(top.manifests)})`,
      );
    manifests = await Promise.all(
      chosen.slice(0, MAX_CHILD_MANIFESTS).map((d) => fetchManifest(reg, d.digest ?? "", headers)),
    );
  }
  const digests = [...new Set(manifests.flatMap(blobDigestsOf))];
  if (!digests.length)
    throw sourceError(`manifest ${reg.repository}:${reference} lists no blobs to preheat`);
  const base = `${reg.scheme}://${reg.host}/v2/${reg.repository}/blobs/`;
  return { urls: digests.map((d) => base + d), headers };
}
