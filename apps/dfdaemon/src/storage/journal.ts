import { open, readFile, rename, type FileHandle } from "node:fs/promises";

import type { PieceMeta } from "./types";

/**
 * The piece journal of a task: one JSON line per finished piece, and now and then a seal line
 * (`{"seal":<ms>}`), written only after the content file was synced, meaning "every piece listed
 * above is on disk". Piece lines are appended without syncing anything, so a download never waits
 * for the disk (curl does not either); after an operating-system crash, the pieces listed after the
 * last seal may name bytes that never reached the disk, and Storage checks their digests at open.
 */

/** JournalEntries are a journal's pieces, split at its last seal. */
export interface JournalEntries {
  /** sealed pieces were synced to disk before the last seal line was written. */
  sealed: PieceMeta[];
  /** unsealed pieces came after it: their bytes must be checked before they are trusted. */
  unsealed: PieceMeta[];
}

/**
 * readJournal loads a task's journal. A line torn by a crash (the last one, unterminated or
 * unparsable) is ignored, so that piece is simply fetched again.
 */
export async function readJournal(path: string): Promise<JournalEntries> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return { sealed: [], unsealed: [] };
  }
  const sealed: PieceMeta[] = [];
  let unsealed: PieceMeta[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const entry = JSON.parse(line) as PieceMeta | { seal: number };
      if ("seal" in entry) {
        sealed.push(...unsealed);
        unsealed = [];
      } else if (Number.isInteger(entry.number) && typeof entry.digest === "string") {
        unsealed.push(entry);
      }
    } catch {
      // Torn write at a crash: drop the line.
    }
  }
  return { sealed, unsealed };
}

/** journalText renders piece lines. */
const journalText = (pieces: readonly PieceMeta[]) =>
  pieces.map((p) => JSON.stringify(p) + "\n").join("");

/** sealLine is the line that vouches for every piece line above it. */
const sealLine = () => JSON.stringify({ seal: Date.now() }) + "\n";

/**
 * rewriteJournal replaces a journal atomically with `pieces` and a seal, written to `tmp` (a path on
 * the same filesystem) and renamed into place: the caller has synced the content those pieces
 * name. Used at open, to settle what a crash left unsealed.
 */
export async function rewriteJournal(
  path: string,
  pieces: readonly PieceMeta[],
  tmp: string,
): Promise<void> {
  const fh = await open(tmp, "w");
  try {
    await fh.writeFile(journalText(pieces) + sealLine());
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

/** Journal appends piece lines and seal lines to a task's journal. */
export class Journal {
  private handle: FileHandle | undefined;

  constructor(private readonly path: string) {}

  /** append writes the pieces as lines (not synced: see the file comment). */
  async append(pieces: readonly PieceMeta[]): Promise<void> {
    if (pieces.length === 0) return;
    await this.write(journalText(pieces));
  }

  /** seal vouches for every line appended so far; call it only after syncing the content. */
  async seal(): Promise<void> {
    await this.write(sealLine());
  }

  private async write(text: string): Promise<void> {
    this.handle ??= await open(this.path, "a");
    await this.handle.write(text);
  }

  /** close releases the file handle. */
  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
  }
}
