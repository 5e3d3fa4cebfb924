import { DfError, ErrorCode } from "@df/errors";

/** REGISTRY_TIMEOUT_MS bounds every request to a registry or its token service. */
export const REGISTRY_TIMEOUT_MS = 60_000;

/** Registry names one repository on one registry. */
export interface Registry {
  scheme: string;
  host: string;
  repository: string;
}

/** Credentials are what the job supplied for the registry. */
export interface Credentials {
  headers: Record<string, string>;
  username: string;
  password: string;
}

/** sourceError reports a registry failure; messages never carry tokens or passwords. */
export const sourceError = (message: string): DfError =>
  new DfError(ErrorCode.SourceError, message);

/** causeOf renders a fetch failure with its network cause (ECONNREFUSED, ENOTFOUND, timeout). */
function causeOf(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return `no answer within ${REGISTRY_TIMEOUT_MS / 1000} s`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

/** registryFetch GETs `url` with a timeout, turning network failures into source errors. */
export async function registryFetch(
  url: string,
  headers: Record<string, string>,
  what: string,
): Promise<Response> {
  try {
    return await fetch(url, {
      headers,
      redirect: "follow",
      signal: AbortSignal.timeout(REGISTRY_TIMEOUT_MS),
    });
  } catch (err) {
    throw sourceError(`cannot reach ${what} ${new URL(url).host}: ${causeOf(err)}`);
  }
}

/** Challenge is a parsed WWW-Authenticate header: scheme and parameters. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** parseChallenge reads `Bearer realm="…",service="…"` (the first challenge only). */
export function parseChallenge(header: string | null): Challenge | undefined {
  const m = header ? /^\s*(\w+)\s*(.*)$/.exec(header) : null;
  if (!m?.[1]) return undefined;
  const params: Record<string, string> = {};
  for (const p of (m[2] ?? "").matchAll(/(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g))
    if (p[1]) params[p[1].toLowerCase()] = p[2] ?? p[3] ?? "";
  return { scheme: m[1].toLowerCase(), params };
}

/** headerOf finds a header case-insensitively. */
export const headerOf = (headers: Record<string, string>, name: string): string | undefined =>
  Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

/** basic renders HTTP basic credentials. */
const basic = (c: Credentials): string =>
  `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;

/** fetchToken asks the challenge's token service for a pull token of the repository. */
async function fetchToken(reg: Registry, challenge: Challenge, c: Credentials): Promise<string> {
  const realm = challenge.params.realm;
  if (!realm || !URL.canParse(realm))
    throw sourceError(`registry ${reg.host} sent a Bearer challenge without a usable realm`);
  const url = new URL(realm);
  if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
  url.searchParams.set("scope", `repository:${reg.repository}:pull`);
  url.searchParams.set("client_id", "dragonfly");
  const res = await registryFetch(
    url.toString(),
    c.username ? { authorization: basic(c) } : {},
    "registry token service",
  );
  if (res.status === 401 || res.status === 403)
    throw sourceError(
      `registry token service ${url.host} answered ${res.status}: ${c.username ? "the credentials were refused" : "credentials are required"}`,
    );
  if (!res.ok) throw sourceError(`registry token service ${url.host} answered ${res.status}`);
  const body = (await res.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown };
  const token = body.token ?? body.access_token;
  if (typeof token !== "string" || !token)
    throw sourceError(`registry token service ${url.host} returned no token`);
  return token;
}

/**
 * authorize returns the Authorization header for the registry: a given `Authorization` header is
 * used as it is (Harbor's path); otherwise `/v2/` is pinged and its challenge answered, with a
 * Bearer token from the token service, or basic credentials. Undefined means no auth is needed.
 */
export async function authorize(reg: Registry, c: Credentials): Promise<string | undefined> {
  const given = headerOf(c.headers, "authorization");
  if (given) return given;
  const ping = await registryFetch(`${reg.scheme}://${reg.host}/v2/`, {}, "registry");
  await ping.body?.cancel();
  if (ping.ok) return undefined;
  if (ping.status !== 401)
    throw sourceError(`registry ${reg.host} answered ${ping.status} to GET /v2/`);
  const challenge = parseChallenge(ping.headers.get("www-authenticate"));
  if (challenge?.scheme === "bearer") return `Bearer ${await fetchToken(reg, challenge, c)}`;
  if (challenge?.scheme === "basic" && c.username) return basic(c);
  throw sourceError(`registry ${reg.host} answered 401 Unauthorized and no credentials were given`);
}
