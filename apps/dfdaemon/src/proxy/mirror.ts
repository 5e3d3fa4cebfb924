import { ErrorCode } from "@df/errors";

import { proxyError } from "./errors";

/** DOCKER_HUB_ALIASES are registry names containerd sends in `ns` for Docker Hub's API host. */
const DOCKER_HUB_ALIASES: Record<string, string> = { "docker.io": "index.docker.io" };

/** registryOrigin turns `ghcr.io`, `http://127.0.0.1:5000` or a URL into an origin URL. */
export function registryOrigin(registry: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(registry) ? registry : `https://${registry}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw proxyError(
      ErrorCode.InvalidArgument,
      `registry ${JSON.stringify(registry)} is not a URL`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw proxyError(ErrorCode.InvalidArgument, `registry scheme ${url.protocol} is not http(s)`);
  const alias = DOCKER_HUB_ALIASES[url.host];
  if (alias) url.host = alias;
  return new URL(url.origin);
}

/**
 * mirrorTarget resolves an origin-form request (`GET /v2/...` sent to the mirror) to its absolute
 * URL. The upstream is the `X-Dragonfly-Registry` header, else containerd's `ns` query parameter
 * (a bare name means https), else the configured default. The path and query are kept as sent.
 */
export function mirrorTarget(
  pathAndQuery: string,
  headerRegistry: string | undefined,
  defaultRegistry: string,
): URL {
  if (!pathAndQuery.startsWith("/"))
    throw proxyError(ErrorCode.InvalidArgument, `request target ${pathAndQuery} is not a path`);
  const parsed = new URL(pathAndQuery, "http://mirror.invalid");
  const ns = parsed.searchParams.get("ns");
  const upstream = registryOrigin(headerRegistry ?? (ns || defaultRegistry));
  return new URL(`${parsed.pathname}${parsed.search}`, upstream);
}
