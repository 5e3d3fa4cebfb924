import { constants, createReadStream, createWriteStream } from "node:fs";
import { access, copyFile, link, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { randomBytes } from "node:crypto";

import { DfError, ErrorCode, invalidArgument } from "@df/errors";

import { fileDigest, parseDigest } from "../task/digest";
import type { ByteRange } from "../task/pieces";

/** checkOutputPath refuses a relative path, a missing folder, or an existing file without overwrite. */
export async function checkOutputPath(path: string, overwrite: boolean): Promise<void> {
  if (!isAbsolute(path)) throw invalidArgument("output", `path ${path} must be absolute`);
  const dir = await stat(dirname(path)).catch(() => undefined);
  if (!dir?.isDirectory())
    throw invalidArgument("output", `folder ${dirname(path)} does not exist`);
  const exists = await access(path).then(
    () => true,
    () => false,
  );
  if (exists && !overwrite)
    throw invalidArgument("output", `${path} already exists (use --overwrite to replace it)`);
}

/**
 * deliverOutput writes the requested bytes beside the output (a hidden temp file in the same
 * folder), verifies the digest if one was asked for, then renames it into place: the output
 * appears whole and verified, or not at all. Returns the digest it computed, if any.
 */
export async function deliverOutput(
  contentPath: string,
  outputPath: string,
  opts: { range?: ByteRange | undefined; digest?: string | undefined },
): Promise<string | undefined> {
  const expected = opts.digest ? parseDigest(opts.digest) : undefined;
  const tmp = join(
    dirname(outputPath),
    `.${basename(outputPath)}.dfget-${randomBytes(4).toString("hex")}`,
  );
  try {
    if (opts.range) {
      const { start, length } = opts.range;
      await pipeline(
        createReadStream(contentPath, { start, end: start + length - 1 }),
        createWriteStream(tmp),
      );
    } else {
      // A hard link when the output is on the cache's filesystem (no second copy of the bytes, as
      // Dragonfly does); a reflink or plain copy otherwise. Pieces served to other peers are still
      // checked against their digests, so an edited output cannot spread.
      await link(contentPath, tmp).catch(() =>
        copyFile(contentPath, tmp, constants.COPYFILE_FICLONE),
      );
    }
    let actual: string | undefined;
    if (expected) {
      actual = await fileDigest(tmp, expected.algorithm);
      const want = `${expected.algorithm}:${expected.value}`;
      if (actual !== want) {
        throw new DfError(
          ErrorCode.DigestMismatch,
          `digest mismatch: expected ${want}, got ${actual}`,
          {
            expected: want,
            actual,
          },
        );
      }
    }
    await rename(tmp, outputPath);
    return actual;
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
