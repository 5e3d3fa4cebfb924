import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

import { DfError, ErrorCode } from "@df/errors";

/** SEALED_PREFIX versions sealed values: `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
const SEALED_PREFIX = "v1";

/** SecretBox seals job credentials with AES-256-GCM so the database never holds them in clear. */
export interface SecretBox {
  seal(value: unknown): string;
  /** open returns the sealed value, or throws when the key differs or the value was altered. */
  open(sealed: string): unknown;
}

/** createSecretBox derives the 256-bit key from `secret` (any string) with SHA-256. */
export function createSecretBox(secret: string): SecretBox {
  const key = createHash("sha256").update(secret).digest();
  return {
    seal(value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString("base64url"));
      return [SEALED_PREFIX, ...parts].join(".");
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split(".");
      if (version !== SEALED_PREFIX || !iv || !tag || body === undefined)
        throw new DfError(ErrorCode.InvalidArgument, "sealed job credentials are malformed");
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        const text = Buffer.concat([
          decipher.update(Buffer.from(body, "base64url")),
          decipher.final(),
        ]).toString("utf8");
        return JSON.parse(text) as unknown;
      } catch {
        throw new DfError(
          ErrorCode.InvalidConfig,
          "cannot open the job's stored credentials: the manager's secret key changed (DF_MANAGER_SECRET_KEY or the key file)",
        );
      }
    },
  };
}

/**
 * loadSecretBox uses `secretKey` (DF_MANAGER_SECRET_KEY) when set; otherwise it reads the key
 * file, creating it with a random key on first start (concurrent starts agree on one key). Managers sharing one database must share the key: set DF_MANAGER_SECRET_KEY for them.
 */
export function loadSecretBox(secretKey: string | undefined, keyFile: string): SecretBox {
  if (secretKey) return createSecretBox(secretKey);
  mkdirSync(dirname(keyFile), { recursive: true });
  // Write a complete temporary file, then link it into place: the link either wins or finds the
  // key another process wrote, and nobody ever reads a half-written key.
  const tmp = `${keyFile}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, keyFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
  const stored = readFileSync(keyFile, "utf8").trim();
  if (!stored) throw new DfError(ErrorCode.InvalidConfig, `secret key file ${keyFile} is empty`);
  return createSecretBox(stored);
}
