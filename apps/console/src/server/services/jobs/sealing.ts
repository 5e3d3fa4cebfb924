import type { PreheatArgs } from "./args";
import type { SecretBox } from "./secret-box";

/** REDACTED replaces every secret value shown back to a caller. */
export const REDACTED = "[redacted]";

/** Secrets are the parts of preheat args that never reach the database in clear. */
interface Secrets {
  headers: Record<string, string>;
  username: string;
  password: string;
}

/** StoredArgs are job args as stored: secrets replaced by a sealed blob and redacted header values. */
export type StoredArgs = Record<string, unknown> & { sealed?: string };

/** redactedHeaders keeps header names (useful to show) and hides every value. */
const redactedHeaders = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.keys(headers).map((k) => [k, REDACTED]));

/**
 * sealArgs prepares preheat args for storing: headers, username and password go into one
 * AES-256-GCM sealed value; what remains is safe to show. Args without secrets store no blob.
 */
export function sealArgs(args: PreheatArgs, box: SecretBox): StoredArgs {
  const { headers, username, password, ...rest } = args;
  const hasSecrets = Object.keys(headers).length > 0 || username !== "" || password !== "";
  const secrets: Secrets = { headers, username, password };
  return {
    ...rest,
    headers: redactedHeaders(headers),
    ...(username ? { username: REDACTED } : {}),
    ...(hasSecrets ? { sealed: box.seal(secrets) } : {}),
  };
}

/** openArgs restores stored preheat args with their secrets in clear, for dispatch only. */
export function openArgs(stored: StoredArgs, box: SecretBox): PreheatArgs {
  const { sealed, ...rest } = stored;
  const secrets = (sealed ? box.open(sealed) : {}) as Partial<Secrets>;
  return {
    ...(rest as Omit<PreheatArgs, keyof Secrets>),
    headers: secrets.headers ?? {},
    username: secrets.username ?? "",
    password: secrets.password ?? "",
  };
}

/** publicArgs are stored args as every API shows them: the sealed blob is never returned. */
export function publicArgs(stored: Record<string, unknown>): Record<string, unknown> {
  const { sealed: _sealed, ...rest } = stored;
  return rest;
}
