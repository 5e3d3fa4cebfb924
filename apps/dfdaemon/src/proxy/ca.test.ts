import { X509Certificate } from "node:crypto";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isIP, type AddressInfo } from "node:net";
import { checkServerIdentity, connect, createServer } from "node:tls";

import { describe, expect, it } from "vitest";

import { createCa, issueLeaf, loadOrCreateCa, parseCa } from "./ca";

describe("the interception CA (node:crypto only)", () => {
  const ca = createCa("unit CA");

  it("issues host certificates a TLS client accepts when it trusts the CA", async () => {
    for (const host of ["registry.example.com", "127.0.0.1"]) {
      const leaf = issueLeaf(ca, host);
      const server = createServer({ cert: leaf.cert, key: leaf.key }, (s) => s.end("ok"));
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const port = (server.address() as AddressInfo).port;
      const text = await new Promise<string>((resolve, reject) => {
        const c = connect({
          port,
          host: "127.0.0.1",
          servername: isIP(host) ? undefined : host,
          ca: ca.certPem,
          checkServerIdentity: (_, cert) => checkServerIdentity(host, cert),
        });
        let got = "";
        c.on("data", (d: Buffer) => (got += d.toString()));
        c.on("end", () => resolve(got));
        c.on("error", reject);
      });
      expect(text).toBe("ok");
      server.close();
    }
  });

  it("marks the CA as a CA and its leaves as signed by it", () => {
    const caCert = new X509Certificate(ca.certPem);
    const leaf = new X509Certificate(issueLeaf(ca, "a.test").cert);
    expect(caCert.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(caCert)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkHost("a.test")).toBe("a.test");
  });

  it("reloads a CA from its PEM files and keeps signing with it", () => {
    const pem = ca.key.export({ type: "pkcs8", format: "pem" }).toString();
    const again = parseCa(ca.certPem, pem);
    const leaf = new X509Certificate(issueLeaf(again, "b.test").cert);
    expect(leaf.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(() => parseCa(issueLeaf(ca, "c.test").cert, pem)).toThrow(/not a CA/);
  });

  it("generates the CA files once and reuses them", () => {
    const dir = mkdtempSync(join(tmpdir(), "df-ca-"));
    const first = loadOrCreateCa(join(dir, "ca.crt"), join(dir, "ca.key"));
    const second = loadOrCreateCa(join(dir, "ca.crt"), join(dir, "ca.key"));
    expect(second.certPem).toBe(first.certPem);
    expect(statSync(join(dir, "ca.key")).mode & 0o777).toBe(0o600);
  });
});
