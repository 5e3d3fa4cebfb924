/**
 * A real OCI registry on loopback for preheat tests: Debian's docker-registry (CNCF distribution)
 * with token authentication, its token service in this process (JWTs signed with a throwaway
 * key), and a counting front that every pull goes through.
 */
import { execFileSync } from "node:child_process";
import { createHash, createSign, randomBytes, randomUUID, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { freePort, startProcess, waitFor, type ManagedProcess } from "@df/testkit";

/** REGISTRY_BIN is `apt-get install -y docker-registry`. */
export const REGISTRY_BIN = "/usr/bin/docker-registry";

/** USER and PASSWORD are the only credentials the token service accepts. */
export const USER = "preheater";
export const PASSWORD = "registry-pass-1";

/** sha256 is the `sha256:<hex>` digest of bytes. */
export const sha256 = (b: Buffer): string =>
  `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** OciRegistry is the running registry, its token service and its counting front. */
export interface OciRegistry {
  /** url is the front's base URL; manifests and blobs are pulled through it. */
  url: string;
  /** token mints a token for a repository, like Harbor does for its preheat requests. */
  token(repository: string, actions?: string[]): string;
  /** blobGets counts blob GETs that reached the front for a digest. */
  blobGets(digest: string): number;
  /** push uploads blobs and a manifest (plain HTTP uploads) and returns the manifest digest. */
  push(
    repository: string,
    tag: string,
    blobs: Buffer[],
    manifest: object,
    mediaType: string,
  ): Promise<string>;
  close(): Promise<void>;
}

const b64u = (v: string | Buffer) => Buffer.from(v).toString("base64url");

/** listen starts a server on a kernel-chosen loopback port and returns its base URL. */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** startOciRegistry generates a signing key, starts the token service, the registry and the front. */
export async function startOciRegistry(): Promise<OciRegistry> {
  const dir = mkdtempSync(join(tmpdir(), "df-oci-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=df-test-token",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  const key = readFileSync(join(dir, "key.pem"), "utf8");
  const x5c = new X509Certificate(readFileSync(join(dir, "cert.pem"))).raw.toString("base64");
  const token = (repository: string, actions = ["pull"]) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: "df-test",
      sub: USER,
      aud: "df-registry",
      iat: now,
      nbf: now - 10,
      exp: now + 600,
      jti: randomUUID(),
      access: [{ type: "repository", name: repository, actions }],
    };
    const input = `${b64u(JSON.stringify({ alg: "RS256", typ: "JWT", x5c: [x5c] }))}.${b64u(JSON.stringify(claims))}`;
    return `${input}.${b64u(createSign("RSA-SHA256").update(input).sign(key))}`;
  };
  const tokens = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://token");
    const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
    if (req.headers.authorization !== basic) return void res.writeHead(401).end("bad credentials");
    const [, repository = "", actions = "pull"] = (url.searchParams.get("scope") ?? "").split(":");
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ token: token(repository, actions.split(",")), expires_in: 600 }));
  });
  const realm = `${await listen(tokens)}/token`;
  const port = await freePort();
  writeFileSync(
    join(dir, "config.yml"),
    [
      "version: 0.1",
      "log: { level: error, accesslog: { disabled: true } }",
      `storage: { filesystem: { rootdirectory: ${join(dir, "data")} } }`,
      `http: { addr: "127.0.0.1:${port}", secret: test }`,
      `auth: { token: { realm: "${realm}", service: df-registry, issuer: df-test, rootcertbundle: ${join(dir, "cert.pem")} } }`,
    ].join("\n"),
  );
  const proc: ManagedProcess = startProcess({
    name: "registry",
    command: REGISTRY_BIN,
    args: ["serve", join(dir, "config.yml")],
  });
  const direct = `http://127.0.0.1:${port}`;
  await waitFor(
    "docker-registry",
    async () => (await fetch(`${direct}/v2/`).catch(() => null))?.status === 401,
    30_000,
  );

  const gets = new Map<string, number>();
  const front = createServer((req: IncomingMessage, res) => {
    const digest = /\/blobs\/(sha256:[a-f0-9]{64})$/.exec(req.url ?? "")?.[1];
    if (digest && req.method === "GET") gets.set(digest, (gets.get(digest) ?? 0) + 1);
    const upstream = request(
      `${direct}${req.url ?? "/"}`,
      { method: req.method, headers: { ...req.headers, host: `127.0.0.1:${port}` } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  const url = await listen(front);

  const push = async (
    repository: string,
    tag: string,
    blobs: Buffer[],
    manifest: object,
    mediaType: string,
  ) => {
    const auth = { authorization: `Bearer ${token(repository, ["pull", "push"])}` };
    for (const blob of blobs) {
      const start = await fetch(`${direct}/v2/${repository}/blobs/uploads/`, {
        method: "POST",
        headers: auth,
      });
      const location = new URL(start.headers.get("location") ?? "", direct);
      location.searchParams.set("digest", sha256(blob));
      const put = await fetch(location, {
        method: "PUT",
        headers: { ...auth, "content-type": "application/octet-stream" },
        body: blob,
      });
      if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`);
    }
    const body = Buffer.from(JSON.stringify(manifest));
    const put = await fetch(`${direct}/v2/${repository}/manifests/${tag}`, {
      method: "PUT",
      headers: { ...auth, "content-type": mediaType },
      body,
    });
    if (put.status !== 201) throw new Error(`manifest upload: ${put.status} ${await put.text()}`);
    return sha256(body);
  };
  const close = (s: Server) =>
    new Promise<void>((r) => {
      s.closeAllConnections();
      s.close(() => r());
    });
  return {
    url,
    token,
    blobGets: (digest) => gets.get(digest) ?? 0,
    push,
    async close() {
      await proc.stop();
      await Promise.all([close(front), close(tokens)]);
    },
  };
}

/** TestImage is a pushed image: its config and layer blobs and its manifest. */
export interface TestImage {
  blobs: Buffer[];
  digests: string[];
  manifest: object;
}

/** makeImage builds an OCI image manifest over a config blob and random layers of `sizes` bytes. */
export function makeImage(
  sizes: number[],
  platform = { os: "linux", architecture: "amd64" },
): TestImage {
  const layers = sizes.map((n) => randomBytes(n));
  const config = Buffer.from(
    JSON.stringify({ ...platform, rootfs: { type: "layers", diff_ids: layers.map(sha256) } }),
  );
  const desc = (mediaType: string, b: Buffer) => ({ mediaType, digest: sha256(b), size: b.length });
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: desc("application/vnd.oci.image.config.v1+json", config),
    layers: layers.map((l) => desc("application/vnd.oci.image.layer.v1.tar", l)),
  };
  const blobs = [config, ...layers];
  return { blobs, digests: blobs.map(sha256), manifest };
}
