import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { connect as tlsConnect, type TLSSocket } from "node:tls";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startDaemon, type TestDaemon } from "./support/daemon";
import { startHttpsOrigin, type HttpsOrigin } from "./support/https-origin";
import { randomContent } from "./support/origin";
import { connectVia, proxyPortOf, viaProxy, type Answer } from "./support/proxy-client";

/** startEcho answers every request with what it received, and sets a few response headers. */
async function startEcho(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.stringify({
        method: req.method,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(200, {
        "content-type": "application/json",
        "x-origin": "echo",
        "set-cookie": ["a=1", "b=2"],
      });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return server;
}

/** httpsGet sends one request over an established TLS socket and reads the whole answer. */
function httpsGet(
  socket: TLSSocket,
  host: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({
      createConnection: () => socket,
      host,
      path,
      headers: { host, connection: "close", ...headers },
    });
    req.once("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.once("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.once("error", reject);
    req.end();
  });
}

describe("an edge proxy bound beyond loopback (issue 7)", () => {
  let edge: TestDaemon;
  let echo: Server;
  let trusted: HttpsOrigin;
  let untrusted: HttpsOrigin;
  const data = randomContent(5 * 1024 * 1024 + 3).data;
  const port = () => proxyPortOf(edge);
  const echoUrl = () => `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;

  beforeAll(async () => {
    echo = await startEcho();
    trusted = await startHttpsOrigin(data, "localhost", "trusted test CA");
    untrusted = await startHttpsOrigin(data, "localhost", "untrusted test CA");
    // The daemon trusts the first origin's CA, as an operator would with NODE_EXTRA_CA_CERTS.
    const before = process.env.NODE_EXTRA_CA_CERTS;
    process.env.NODE_EXTRA_CA_CERTS = trusted.caPath;
    try {
      edge = await startDaemon("edge", [
        "--proxy.listenIp=0.0.0.0",
        `--proxy.allowedDestinations=localhost,127.0.0.1:${trusted.port}`,
        "--proxy.insecureSkipVerifyHosts=127.0.0.1",
        "--proxy.intercept.hosts=^localhost$",
        "--proxy.rules=/layers/",
        "--proxy.registryMirror.addr=http://127.0.0.1:9",
      ]);
    } finally {
      if (before === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = before;
    }
  }, 60_000);
  afterAll(async () => {
    await edge?.stop();
    await trusted?.close();
    await untrusted?.close();
    await new Promise((r) => echo?.close(r));
  });

  it("refuses destinations outside proxy.allowedDestinations with 403, for every way in", async () => {
    const direct = await viaProxy(port(), `${echoUrl()}/x`);
    expect(direct.status).toBe(403);
    expect(direct.headers["x-dragonfly-error-type"]).toBe("proxy");
    const mirror = await viaProxy(port(), "/v2/", {
      headers: { "x-dragonfly-registry": echoUrl() },
    });
    expect(mirror.status).toBe(403);
    const tunnel = await connectVia(port(), new URL(echoUrl()).host);
    expect(tunnel.status).toBe(403);
    tunnel.socket.destroy();
  });

  it("verifies upstream TLS unless the host is in proxy.insecureSkipVerifyHosts", async () => {
    const verified = await viaProxy(port(), `https://localhost:${trusted.port}/plain`);
    expect(verified.status).toBe(200);
    expect(verified.body.equals(data)).toBe(true);
    const bad = await viaProxy(port(), `https://localhost:${untrusted.port}/plain`);
    expect(bad.status).toBe(502);
    expect(bad.headers["x-dragonfly-error-type"]).toBe("backend");
    // The certificate names only "localhost"; 127.0.0.1 passes because verification is off for it.
    const skipped = await viaProxy(port(), `https://127.0.0.1:${trusted.port}/plain`);
    expect(skipped.status).toBe(200);
  });

  it("tunnels CONNECT blindly: the client sees the origin's own certificate", async () => {
    const tunnel = await connectVia(port(), `127.0.0.1:${trusted.port}`);
    expect(tunnel.status).toBe(200);
    const tls = tlsConnect({ socket: tunnel.socket, servername: "localhost", ca: trusted.caPem });
    await new Promise((r) => tls.once("secureConnect", r));
    expect(tls.getPeerCertificate().issuer.CN).toBe("trusted test CA");
    const r = await httpsGet(tls, "localhost", "/plain");
    expect(r.body.equals(data)).toBe(true);
    expect(r.headers["x-dragonfly-via"]).toBeUndefined();
  });

  it("intercepts CONNECT to configured hosts with its generated CA and serves ranges through P2P", async () => {
    const ca = readFileSync(join(edge.dataDir, "proxy-ca", "ca.crt"), "utf8");
    const tunnel = await connectVia(port(), `localhost:${trusted.port}`);
    expect(tunnel.status).toBe(200);
    const tls = tlsConnect({ socket: tunnel.socket, servername: "localhost", ca });
    await new Promise((r) => tls.once("secureConnect", r));
    expect(tls.getPeerCertificate().issuer.CN).toBe("Dragonfly dfdaemon proxy CA");
    const r = await httpsGet(tls, "localhost", "/layers/one?X-Amz-Signature=x", {
      range: "bytes=4194300-4194399",
    });
    expect(r.status).toBe(206);
    expect(r.headers["x-dragonfly-via"]).toBe("p2p");
    expect(r.body.equals(data.subarray(4194300, 4194400))).toBe(true);
  });

  it("passes HEAD and non-GET methods straight through, headers and bodies intact", async () => {
    const echoEdge = await startDaemon("echo-edge", [`--proxy.rules=/`]);
    try {
      const p = proxyPortOf(echoEdge);
      const post = await viaProxy(p, `${echoUrl()}/upload`, {
        method: "POST",
        headers: { "x-client": "1", "x-dragonfly-tag": "t", "proxy-authorization": "secret" },
        body: Buffer.from("payload"),
      });
      const seen = JSON.parse(post.body.toString()) as {
        method: string;
        headers: Record<string, string>;
        body: string;
      };
      expect(seen).toMatchObject({ method: "POST", body: "payload", headers: { "x-client": "1" } });
      expect(seen.headers["x-dragonfly-tag"]).toBeUndefined();
      expect(seen.headers["proxy-authorization"]).toBeUndefined();
      expect(post.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
      expect(post.headers["x-dragonfly-via"]).toBe("source");
      const head = await viaProxy(p, `${echoUrl()}/x`, { method: "HEAD" });
      expect(head).toMatchObject({
        status: 200,
        headers: { "x-origin": "echo", "x-dragonfly-via": "source" },
      });
      const del = await viaProxy(p, `${echoUrl()}/x`, { method: "DELETE" });
      expect(JSON.parse(del.body.toString())).toMatchObject({ method: "DELETE" });
    } finally {
      await echoEdge.stop();
    }
  });
});
