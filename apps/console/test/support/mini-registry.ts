import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** MiniRegistry serves manifests only, behind a Bearer token challenge, and records requests. */
export interface MiniRegistry {
  /** base is `http://127.0.0.1:<port>`. */
  base: string;
  /** token is the pull token its token service issues for user/password. */
  token: string;
  /** requests lists `METHOD path authorization` in order. */
  requests: string[];
  /** put stores a manifest (JSON) under `repo` at `reference` and its digest; returns the digest. */
  put(repo: string, reference: string, manifest: object, mediaType: string): string;
  close(): Promise<void>;
}

/** USER and PASSWORD are the credentials the token service accepts. */
export const USER = "puller";
export const PASSWORD = "pull-secret-1";

/**
 * startMiniRegistry is a manifest-only registry for manager tests: `/v2/` answers 401 with
 * `WWW-Authenticate: Bearer realm=<base>/token,service=mini`; `/token` issues `token` for basic
 * USER/PASSWORD; manifests need `Authorization: Bearer <token>`.
 */
export async function startMiniRegistry(): Promise<MiniRegistry> {
  const token = "mini-pull-token";
  const manifests = new Map<string, { body: string; type: string }>();
  const requests: string[] = [];
  let base = "";
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", base);
    requests.push(`${req.method} ${url.pathname} ${req.headers.authorization ?? "-"}`);
    if (url.pathname === "/token") {
      const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
      if (req.headers.authorization !== basic) return void res.writeHead(401).end();
      return void res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ token }));
    }
    if (req.headers.authorization !== `Bearer ${token}`)
      return void res
        .writeHead(401, { "www-authenticate": `Bearer realm="${base}/token",service="mini"` })
        .end();
    if (url.pathname === "/v2/") return void res.writeHead(200).end("{}");
    const m = manifests.get(url.pathname);
    if (!m) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": m.type }).end(m.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    token,
    requests,
    put(repo, reference, manifest, mediaType) {
      const body = JSON.stringify(manifest);
      const digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
      for (const ref of [reference, digest])
        manifests.set(`/v2/${repo}/manifests/${ref}`, { body, type: mediaType });
      return digest;
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
