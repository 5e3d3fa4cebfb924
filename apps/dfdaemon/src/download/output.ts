import { constants } from "node:fs";
import { access, copyFile, link, open, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { basename, dirname, isAbsolute, join } from "node:path";
import { randomBytes } from "node:crypto";

import { DfError, ErrorCode, invalidArgument } from "@df/errors";

import { fileDigest, parseDigest } from "../task/digest";
import type { ByteRange, PieceSpan } from "../task/pieces";

/** COPY_CHUNK is the buffer size for copying a range of the content into the output. */
const COPY_CHUNK = 4 << 20;

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

/** hiddenTemp names the temp file beside the output that is renamed into place when done. */
function hiddenTemp(outputPath: string): string {
  return join(
    dirname(outputPath),
    `.${basename(outputPath)}.dfget-${randomBytes(4).toString("hex")}`,
  );
}

/**
 * deliverOutput puts the whole content beside the output (a hidden temp file in the same folder),
 * verifies the digest if one was asked for, then renames it into place: the output appears whole
 * and verified, or not at all. Returns the digest it computed, if any. (A range request goes
 * through RangeOutput instead.)
 */
export async function deliverOutput(
  contentPath: string,
  outputPath: string,
  opts: { digest?: string | undefined },
): Promise<string | undefined> {
  const tmp = hiddenTemp(outputPath);
  try {
    // A hard link when the output is on the cache's filesystem (no second copy of the bytes, as
    // Dragonfly does); a reflink or plain copy otherwise. Pieces served to other peers are still
    // checked against their digests, so an edited output cannot spread.
    await link(contentPath, tmp).catch(() =>
      copyFile(contentPath, tmp, constants.COPYFILE_FICLONE),
    );
    return await verifyAndRename(tmp, outputPath, opts.digest);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** verifyAndRename checks the temp file against the digest, if any, and renames it into place. */
async function verifyAndRename(
  tmp: string,
  outputPath: string,
  digest: string | undefined,
): Promise<string | undefined> {
  const expected = digest ? parseDigest(digest) : undefined;
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
}

/**
 * RangeOutput assembles a range request's output while the download runs: each piece's part of
 * the range is copied into the hidden temp file as soon as the piece is stored, so when the last
 * piece lands only that one is left to copy (a whole-range copy at the end would add a pass over
 * every byte after the download). `finish` copies whatever was not copied yet, verifies the
 * digest and renames the file into place; `abort` removes it.
 */
export class RangeOutput {
  private readonly tmp: string;
  private readonly copied = new Set<number>();
  private file: Promise<FileHandle> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;
  private buffer: Buffer | undefined;

  constructor(
    private readonly contentPath: string,
    private readonly outputPath: string,
    private readonly range: ByteRange,
  ) {
    this.tmp = hiddenTemp(outputPath);
  }

  /** add queues the copy of a stored piece's overlap with the range (once per piece). */
  add(piece: PieceSpan): void {
    if (this.copied.has(piece.number)) return;
    const from = Math.max(piece.offset, this.range.start);
    const to = Math.min(piece.offset + piece.length, this.range.start + this.range.length);
    if (to <= from) return;
    this.copied.add(piece.number);
    this.chain = this.chain.then(() =>
      this.failure
        ? undefined
        : this.copy(from, to).catch((err: unknown) => void (this.failure = err)),
    );
  }

  private async copy(from: number, to: number): Promise<void> {
    this.file ??= open(this.tmp, "w");
    const out = await this.file;
    const src = await open(this.contentPath, "r");
    this.buffer ??= Buffer.allocUnsafe(COPY_CHUNK);
    try {
      for (let at = from; at < to;) {
        const want = Math.min(this.buffer.length, to - at);
        const { bytesRead } = await src.read(this.buffer, 0, want, at);
        if (bytesRead <= 0) throw new DfError(ErrorCode.Internal, `content ended at ${at}`);
        let done = 0;
        while (done < bytesRead) {
          const { bytesWritten } = await out.write(
            this.buffer,
            done,
            bytesRead - done,
            at + done - this.range.start,
          );
          done += bytesWritten;
        }
        at += bytesRead;
      }
    } finally {
      await src.close();
    }
  }

  /** finish copies the pieces not copied yet, verifies and renames; returns the digest, if any. */
  async finish(
    pieces: readonly PieceSpan[],
    digest: string | undefined,
  ): Promise<string | undefined> {
    try {
      for (const p of pieces) this.add(p);
      await this.chain;
      if (this.failure) throw this.failure;
      this.file ??= open(this.tmp, "w");
      await (await this.file).close();
      this.file = undefined;
      return await verifyAndRename(this.tmp, this.outputPath, digest);
    } catch (err) {
      await this.abort();
      throw err;
    }
  }

  /** abort drops the temp file. */
  async abort(): Promise<void> {
    await this.chain;
    const f = this.file;
    this.file = undefined;
    await f?.then((h) => h.close()).catch(() => undefined);
    await rm(this.tmp, { force: true });
  }
}
