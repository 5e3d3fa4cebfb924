import { open, readFile, type FileHandle } from "node:fs/promises";

import type { PieceMeta } from "./types";

/**
 * readJournal loads the finished-piece journal: one JSON line per piece. A line torn by a crash
 * (the last one, unterminated or unparsable) is ignored, so that piece is simply fetched again.
 */
export async function readJournal(path: string): Promise<PieceMeta[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return [];
  }
  const out: PieceMeta[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const p = JSON.parse(line) as PieceMeta;
      if (Number.isInteger(p.number) && typeof p.digest === "string") out.push(p);
    } catch {
      // Torn write at a crash: drop the line.
    }
  }
  return out;
}

/** Journal appends piece lines; each append is written and synced before it resolves. */
export class Journal {
  private handle: FileHandle | undefined;

  constructor(private readonly path: string) {}

  /** append writes the pieces as lines and syncs the journal to disk. */
  async append(pieces: readonly PieceMeta[]): Promise<void> {
    if (pieces.length === 0) return;
    this.handle ??= await open(this.path, "a");
    await this.handle.write(pieces.map((p) => JSON.stringify(p) + "\n").join(""));
    await this.handle.datasync();
  }

  /** close releases the file handle. */
  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
  }
}
