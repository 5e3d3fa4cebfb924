import superjson from "superjson";

/** Credential is how a test request authenticates: a session cookie, a bearer token, or nothing. */
export type Credential = { cookie: string } | { token: string } | null;

/** Reply is a parsed HTTP answer. */
export interface Reply {
  status: number;
  headers: Headers;
  json: unknown;
}

/** authHeaders renders a credential as request headers. */
function authHeaders(who: Credential): Record<string, string> {
  if (!who) return {};
  return "cookie" in who ? { cookie: who.cookie } : { authorization: `Bearer ${who.token}` };
}

/** call sends one JSON request to the manager. */
export async function call(
  base: string,
  method: string,
  path: string,
  who: Credential = null,
  body?: unknown,
): Promise<Reply> {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...authHeaders(who),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    json: text ? (JSON.parse(text) as unknown) : undefined,
  };
}

/** signIn signs in over REST and returns the session cookie. */
export async function signIn(
  base: string,
  name: string,
  password: string,
): Promise<{ cookie: string }> {
  const res = await call(base, "POST", "/api/v1/users/signin", null, { name, password });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 200 || !cookie) throw new Error(`sign-in of ${name} failed: ${res.status}`);
  return { cookie };
}

/** trpc calls one tRPC procedure over HTTP and returns the status and decoded result or error. */
export async function trpc(
  base: string,
  kind: "query" | "mutation",
  path: string,
  who: Credential,
  input?: unknown,
): Promise<Reply> {
  const encoded = JSON.stringify(superjson.serialize(input));
  const url =
    kind === "query"
      ? `${base}/api/trpc/${path}?input=${encodeURIComponent(encoded)}`
      : `${base}/api/trpc/${path}`;
  const res = await fetch(url, {
    method: kind === "query" ? "GET" : "POST",
    headers: { ...authHeaders(who), "content-type": "application/json" },
    body: kind === "query" ? undefined : encoded,
  });
  const raw = (await res.json()) as { result?: { data: unknown }; error?: { json: unknown } };
  const json = raw.result
    ? superjson.deserialize(raw.result.data as never)
    : raw.error
      ? raw.error.json
      : undefined;
  return { status: res.status, headers: res.headers, json };
}
