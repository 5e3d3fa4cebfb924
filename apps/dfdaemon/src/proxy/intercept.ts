import type { Server } from "node:http";
import type { Socket } from "node:net";
import { createSecureContext, TLSSocket, type SecureContext } from "node:tls";

import { issueLeaf, type CertificateAuthority } from "./ca";

/** MAX_CACHED_HOSTS bounds the per-host certificate cache (oldest first out). */
const MAX_CACHED_HOSTS = 1000;

/**
 * Interceptor terminates TLS of CONNECT tunnels to configured hosts with a per-host certificate
 * signed by the proxy CA, and feeds the decrypted connection to the proxy's own HTTP server, so
 * the inner requests get the same rules, P2P and pass-through as plain HTTP ones.
 */
export class Interceptor {
  private readonly contexts = new Map<string, SecureContext>();
  private readonly authorities = new WeakMap<Socket, string>();

  constructor(
    private readonly ca: CertificateAuthority,
    private readonly hosts: readonly RegExp[],
  ) {}

  /** matches tells whether a CONNECT host is to be intercepted. */
  matches(host: string): boolean {
    return this.hosts.some((r) => r.test(host));
  }

  /** authorityOf returns `host:port` of an intercepted connection, undefined for plain ones. */
  authorityOf(socket: Socket): string | undefined {
    return this.authorities.get(socket);
  }

  /** terminate answers the CONNECT, wraps the client in TLS and hands it to `server`. */
  terminate(server: Server, client: Socket, head: Buffer, host: string, authority: string): void {
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length > 0) client.unshift(head);
    const tls = new TLSSocket(client, {
      isServer: true,
      secureContext: this.contextFor(host),
      ALPNProtocols: ["http/1.1"],
    });
    tls.on("error", () => client.destroy());
    this.authorities.set(tls, authority);
    server.emit("connection", tls);
  }

  private contextFor(host: string): SecureContext {
    let ctx = this.contexts.get(host);
    if (!ctx) {
      const leaf = issueLeaf(this.ca, host);
      ctx = createSecureContext({ cert: leaf.cert + this.ca.certPem, key: leaf.key });
      if (this.contexts.size >= MAX_CACHED_HOSTS) {
        const oldest = this.contexts.keys().next().value;
        if (oldest !== undefined) this.contexts.delete(oldest);
      }
      this.contexts.set(host, ctx);
    }
    return ctx;
  }
}
