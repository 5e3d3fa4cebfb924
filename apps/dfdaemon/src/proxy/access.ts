import { isIP } from "node:net";

import { ErrorCode } from "@df/errors";

import type { ProxyConfig } from "../config/schema";
import { proxyError } from "./errors";

/** isLoopback tells whether a listen address only accepts local clients. */
export function isLoopback(listenIp: string): boolean {
  return listenIp === "localhost" || listenIp === "::1" || /^127\./.test(listenIp);
}

/** defaultPort is the port a URL scheme implies. */
const defaultPort = (protocol: string) => (protocol === "https:" ? 443 : 80);

/** AccessPolicy decides which upstreams the proxy may reach. */
export interface AccessPolicy {
  /** open is true when every destination is allowed (loopback listener, empty allow list). */
  readonly open: boolean;
  allowed(host: string, port: number): boolean;
  /** check throws a 403-mapped error for a destination that is not allowed. */
  check(host: string, port: number): void;
}

/** matches tests `host`, `host:port`, `*.suffix` or `[v6]:port` entries against a destination. */
function matches(entry: string, host: string, port: number): boolean {
  const e = entry.trim().toLowerCase();
  const m = /^(\[[^\]]+\]|[^:]+|[0-9a-f:]+)(?::(\d+))?$/.exec(isIP(e) === 6 ? `[${e}]` : e);
  if (!m?.[1]) return false;
  const name = m[1].replace(/^\[|\]$/g, "");
  if (m[2] && Number(m[2]) !== port) return false;
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return name.startsWith("*.") ? h.endsWith(name.slice(1)) : h === name;
}

/**
 * createAccessPolicy keeps the proxy from being an open proxy: bound beyond loopback (or with a
 * non-empty allow list) it reaches only `allowedDestinations` and the mirror's default registry.
 */
export function createAccessPolicy(config: ProxyConfig): AccessPolicy {
  const open = isLoopback(config.listenIp) && config.allowedDestinations.length === 0;
  const mirror = new URL(config.registryMirror.addr);
  const entries = [
    ...config.allowedDestinations,
    `${mirror.hostname}:${mirror.port || defaultPort(mirror.protocol)}`,
  ];
  const allowed = (host: string, port: number) =>
    open || entries.some((e) => matches(e, host, port));
  return {
    open,
    allowed,
    check(host, port) {
      if (!allowed(host, port))
        throw proxyError(
          ErrorCode.PermissionDenied,
          `destination ${host}:${port} is not in proxy.allowedDestinations`,
        );
    },
  };
}

/** targetPort is the port of an absolute URL, explicit or implied by its scheme. */
export function targetPort(url: URL): number {
  return Number(url.port) || defaultPort(url.protocol);
}
