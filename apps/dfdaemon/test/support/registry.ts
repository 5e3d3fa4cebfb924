import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { freePort, httpOk, startProcess, waitFor, type ManagedProcess } from "@df/testkit";

/** REGISTRY_BIN is Debian's build of the CNCF distribution registry (`apt-get install docker-registry`). */
export const REGISTRY_BIN = "/usr/bin/docker-registry";
/** TOKEN is the bearer token the front's token endpoint hands out and then demands. */
export const TOKEN = "test-token-7";

/** TestRegistry is a real OCI registry behind a counting front with token auth and redirects. */
export interface TestRegistry {
  /** url is the front: token challenge on /v2/, blob GETs redirected to signed /objects/ URLs. */
  url: string;
  /** direct is the registry itself (no auth), used to push. */
  direct: string;
  /** blobBytes counts blob body bytes the front served for a digest. */
  blobBytes(digest: string): number;
  /** requests lists `METHOD path` the front received, in order. */
  requests: string[];
  /** authorizations lists the Authorization headers the front received on /v2/ paths. */
  authorizations: string[];
  close(): Promise<void>;
}

const BLOB = /^\/v2\/(.+)\/blobs\/(sha256:[a-f0-9]{64})$/;

/** startRegistry runs docker-registry on a loopback port with a temp storage root, plus its front. */
export async function startRegistry(opts: { redirectBlobs?: boolean } = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), "df-registry-"));
  const port = await freePort();
  const config = join(dir, "config.yml");
  writeFileSync(
    config,
    [
      "version: 0.1",
      "log: { level: error, accesslog: { disabled: true } }",
      `storage: { filesystem: { rootdirectory: ${join(dir, "data")} }, delete: { enabled: true } }`,
      `http: { addr: "127.0.0.1:${port}", secret: test }`,
    ].join("\n"),
  );
  const proc: ManagedProcess = startProcess({
    name: "registry",
    command: REGISTRY_BIN,
    args: ["serve", config],
  });
  const direct = `http://127.0.0.1:${port}`;
  await waitFor("registry", () => httpOk(`${direct}/v2/`), 30_000);

  const bytes = new Map<string, number>();
  const requests: string[] = [];
  const authorizations: string[] = [];
  const forward = (req: IncomingMessage, res: ServerResponse, path: string, digest?: string) => {
    const headers = { ...req.headers, host: `127.0.0.1:${port}` };
    delete headers.authorization;
    const up = request(`${direct}${path}`, { method: req.method, headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      if (digest)
        upRes.on("data", (c: Buffer) => bytes.set(digest, (bytes.get(digest) ?? 0) + c.length));
      upRes.pipe(res);
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  };
  const front = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://front");
    requests.push(`${req.method} ${url.pathname}`);
    if (url.pathname === "/token") {
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ token: TOKEN, access_token: TOKEN, expires_in: 300 }));
    }
    const object = /^\/objects\/(.+)\/(sha256:[a-f0-9]{64})$/.exec(url.pathname);
    if (object?.[1] && object[2]) {
      if (!url.searchParams.get("X-Amz-Signature")) return void res.writeHead(403).end("unsigned");
      return forward(req, res, `/v2/${object[1]}/blobs/${object[2]}`, object[2]);
    }
    authorizations.push(req.headers.authorization ?? "");
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      const realm = `http://127.0.0.1:${(front.address() as AddressInfo).port}/token`;
      res.writeHead(401, {
        "www-authenticate": `Bearer realm="${realm}",service="test-registry"`,
        "content-type": "application/json",
      });
      return void res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    }
    const blob = BLOB.exec(url.pathname);
    if (blob?.[1] && blob[2] && req.method === "GET" && opts.redirectBlobs) {
      const signed = `/objects/${blob[1]}/${blob[2]}?X-Amz-Signature=${Math.random().toString(16).slice(2)}&X-Amz-Date=${Date.now()}`;
      return void res.writeHead(307, { location: signed }).end();
    }
    forward(req, res, `${url.pathname}${url.search}`, req.method === "GET" ? blob?.[2] : undefined);
  });
  await new Promise<void>((r) => front.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
    direct,
    blobBytes: (d) => bytes.get(d) ?? 0,
    requests,
    authorizations,
    async close() {
      front.closeAllConnections();
      await new Promise<void>((r) => front.close(() => r()));
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
