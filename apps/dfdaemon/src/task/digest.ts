import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";

import { DfError, ErrorCode } from "@df/errors";

import { crc32 } from "./crc32";

/** DIGEST_ALGORITHMS are the accepted whole-file digest algorithms and their value formats. */
export const DIGEST_ALGORITHMS = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
  crc32: /^[0-9]{1,10}$/,
} as const;

/** DigestAlgorithm is one of DIGEST_ALGORITHMS. */
export type DigestAlgorithm = keyof typeof DIGEST_ALGORITHMS;

/** Digest is a parsed `<algorithm>:<value>`. */
export interface Digest {
  algorithm: DigestAlgorithm;
  value: string;
}

/** parseDigest validates `sha256:<64 hex>`, `sha512:<128 hex>` or `crc32:<decimal>`. */
export function parseDigest(text: string): Digest {
  const colon = text.indexOf(":");
  const algorithm = text.slice(0, colon) as DigestAlgorithm;
  const value = text.slice(colon + 1).toLowerCase();
  const pattern = colon > 0 ? DIGEST_ALGORITHMS[algorithm] : undefined;
  if (!pattern || !pattern.test(value)) {
    throw new DfError(
      ErrorCode.InvalidArgument,
      `digest "${text}" must be sha256:<64 hex>, sha512:<128 hex> or crc32:<decimal>`,
      { field: "digest" },
    );
  }
  return { algorithm, value };
}

/** DigestHasher accumulates a digest over chunks. */
export interface DigestHasher {
  update(chunk: Uint8Array): void;
  digest(): string;
}

/** createHasher returns an incremental hasher printing `<algorithm>:<value>`. */
export function createHasher(algorithm: DigestAlgorithm): DigestHasher {
  if (algorithm === "crc32") {
    let value = 0;
    return { update: (c) => void (value = crc32(c, value)), digest: () => `crc32:${value >>> 0}` };
  }
  const h: Hash = createHash(algorithm);
  return { update: (c) => void h.update(c), digest: () => `${algorithm}:${h.digest("hex")}` };
}

/** pieceDigest is the per-piece digest: CRC-32 (IEEE) as `crc32:<unsigned decimal>`, as Dragonfly. */
export function pieceDigest(data: Uint8Array): string {
  return `crc32:${crc32(data) >>> 0}`;
}

/** fileDigest streams a file (or a byte range of it) through a hasher. */
export async function fileDigest(
  path: string,
  algorithm: DigestAlgorithm,
  start?: number,
  end?: number,
): Promise<string> {
  const hasher = createHasher(algorithm);
  for await (const chunk of createReadStream(path, { start, end, highWaterMark: 1 << 20 })) {
    hasher.update(chunk as Buffer);
  }
  return hasher.digest();
}
