/** DOCKER_HUB_HOSTS are the API hosts of Docker Hub, known to runtimes as `docker.io`. */
const DOCKER_HUB_HOSTS = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

/** RegistryRef is one registry to route through the proxy. */
export interface RegistryRef {
  /** url is the upstream as the proxy reaches it, e.g. `https://index.docker.io`. */
  url: string;
  /** name is the host namespace runtimes use in image references, e.g. `docker.io`. */
  name: string;
}

/** registryRef parses `ghcr.io`, `https://ghcr.io` or `http://127.0.0.1:5000` into its URL and name. */
export function registryRef(text: string): RegistryRef {
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`registry ${text}: scheme must be http or https`);
  const name = DOCKER_HUB_HOSTS.has(url.hostname) ? "docker.io" : url.host;
  const base = name === "docker.io" ? "https://index.docker.io" : url.origin;
  return { url: base, name };
}

/** tomlString quotes a string for TOML (basic string, escaping backslash and quote). */
export const tomlString = (s: string): string => JSON.stringify(s);

/** hostPort strips the scheme of the proxy URL, for places that want `127.0.0.1:4001`. */
export const hostPort = (proxy: string): string => new URL(proxy).host;
