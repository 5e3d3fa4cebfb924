import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { createCa, issueLeaf } from "../../src/proxy/ca";

/** HttpsOrigin is an HTTPS server on loopback with a certificate from its own test CA. */
export interface HttpsOrigin {
  port: number;
  /** caPath is the PEM file of the CA that signed the server certificate. */
  caPath: string;
  caPem: string;
  bytesServed(): number;
  close(): Promise<void>;
}

/**
 * startHttpsOrigin serves `data` at every path with single-range support, over TLS with a
 * certificate for `host` signed by a fresh CA named `caName`.
 */
export async function startHttpsOrigin(
  data: Buffer,
  host: string,
  caName: string,
): Promise<HttpsOrigin> {
  const ca = createCa(caName);
  const leaf = issueLeaf(ca, host);
  const caPath = join(mkdtempSync(join(tmpdir(), "df-https-origin-")), "ca.pem");
  writeFileSync(caPath, ca.certPem);
  let served = 0;
  const server: Server = createServer({ cert: leaf.cert, key: leaf.key }, (req, res) => {
    const m = /^bytes=(\d+)-(\d+)?$/.exec(req.headers.range ?? "");
    const start = m ? Number(m[1]) : 0;
    const end = m?.[2] ? Math.min(Number(m[2]), data.length - 1) : data.length - 1;
    res.writeHead(m ? 206 : 200, {
      "content-length": String(end - start + 1),
      "x-origin": "https",
      ...(m ? { "content-range": `bytes ${start}-${end}/${data.length}` } : {}),
    });
    const body = data.subarray(start, end + 1);
    served += body.length;
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    caPath,
    caPem: ca.certPem,
    bytesServed: () => served,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
