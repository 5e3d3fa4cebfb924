import type { RuntimeFile } from "./files";

/** DOCKER_DAEMON_JSON is dockerd's configuration file. */
export const DOCKER_DAEMON_JSON = "/etc/docker/daemon.json";

/**
 * dockerDaemonJson merges the proxy into daemon.json, keeping every other key. `registry-mirrors`
 * sends Docker Hub pulls to the proxy in mirror mode (no CA needed); with `httpsProxy`, `proxies`
 * sends every pull through it as an HTTP proxy, which only reaches P2P for HTTPS registries when
 * the proxy intercepts them and dockerd trusts its CA.
 */
export function dockerDaemonJson(
  existing: Record<string, unknown>,
  proxy: string,
  httpsProxy = false,
  path = DOCKER_DAEMON_JSON,
): RuntimeFile {
  const mirrors = Array.isArray(existing["registry-mirrors"])
    ? (existing["registry-mirrors"] as unknown[]).filter((m) => m !== proxy)
    : [];
  const next: Record<string, unknown> = { ...existing, "registry-mirrors": [proxy, ...mirrors] };
  if (httpsProxy) {
    const proxies = (existing.proxies ?? {}) as Record<string, unknown>;
    next.proxies = { ...proxies, "http-proxy": proxy, "https-proxy": proxy };
  }
  return { path, content: `${JSON.stringify(next, null, 2)}\n` };
}
