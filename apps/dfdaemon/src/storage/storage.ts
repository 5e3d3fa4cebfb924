import { fdatasync, mkdirSync } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

import { DfError, ErrorCode, notFound } from "@df/errors";
import type { Logger } from "@df/logger";

import { TASK_ID_PATTERN } from "../task/task-id";
import { pieceDigest } from "../task/digest";
import { readJournal, rewriteJournal } from "./journal";
import { Layout } from "./layout";
import { StoredTask } from "./stored-task";
import type { PieceMeta, TaskMeta } from "./types";
import { retireContent } from "./content-fds";

/**
 * Storage keeps task content and metadata on disk. Method names follow the download lifecycle
 * (downloadTaskStarted, then pieces on the StoredTask, then finished), mirroring the scheduler's
 * announce events. Crash rules: metadata is written after the content file exists and removed
 * before it is deleted; at open, metadata without content and content without metadata are dropped,
 * and pieces journaled after the journal's last seal are kept only if their bytes match their
 * digests (see journal.ts).
 */
const syncData = promisify(fdatasync);

/** MAX_REMEMBERED_DELETIONS bounds the recent deletions Storage remembers. */
const MAX_REMEMBERED_DELETIONS = 1024;

export class Storage {
  private readonly tasks = new Map<string, StoredTask>();
  private readonly deletedListeners: Array<(taskId: string) => void> = [];
  /** deletedAt remembers recent deletions (bounded), so peers asking for them hear it at once. */
  private readonly deletedAt = new Map<string, number>();

  private constructor(
    readonly layout: Layout,
    private readonly log: Logger,
  ) {}

  /** open loads every task from disk, repairing what a crash left half-done. */
  static async open(dataDir: string, log: Logger): Promise<Storage> {
    const s = new Storage(new Layout(dataDir), log);
    for (const dir of [s.layout.contentDir, s.layout.metadataDir, s.layout.tmpDir])
      mkdirSync(dir, { recursive: true });
    await rm(s.layout.tmpDir, { recursive: true, force: true });
    mkdirSync(s.layout.tmpDir, { recursive: true });
    await s.load();
    return s;
  }

  private async load(): Promise<void> {
    for (const name of await readdir(this.layout.metadataDir)) {
      if (!name.endsWith(".json")) continue;
      const id = name.slice(0, -5);
      const meta = await readFile(join(this.layout.metadataDir, name), "utf8")
        .then((t) => JSON.parse(t) as TaskMeta)
        .catch(() => undefined);
      const size = await stat(this.layout.content(id)).then(
        (st) => st.size,
        () => -1,
      );
      if (!meta || meta.id !== id || size !== meta.contentLength) {
        this.log.warn("dropping inconsistent task left by a crash", { task: id });
        await this.removeFiles(id);
        continue;
      }
      const task = this.makeTask(meta);
      const inRange = (p: PieceMeta) => p.number >= 0 && p.number < task.pieceCount;
      const journal = await readJournal(this.layout.pieceJournal(id));
      for (const p of journal.sealed) if (inRange(p)) task.pieces.set(p.number, p);
      const unsealed = journal.unsealed.filter(inRange);
      if (unsealed.length > 0) await this.settleUnsealed(task, unsealed);
      this.tasks.set(id, task);
    }
    for (const prefix of await readdir(this.layout.contentDir)) {
      for (const id of await readdir(join(this.layout.contentDir, prefix))) {
        if (!this.tasks.has(id))
          await rm(join(this.layout.contentDir, prefix, id), { force: true });
      }
    }
    this.log.info("storage loaded", { tasks: this.tasks.size, dir: this.layout.dataDir });
  }

  /**
   * settleUnsealed checks the pieces a crash left journaled but unsealed: each is kept only if the
   * content file holds bytes matching its digest (an operating-system crash may have lost them).
   * The content is then synced and the journal rewritten with the kept pieces and a seal.
   */
  private async settleUnsealed(task: StoredTask, unsealed: PieceMeta[]): Promise<void> {
    try {
      const dropped = await this.checkPieces(task, unsealed);
      await rewriteJournal(
        this.layout.pieceJournal(task.meta.id),
        [...task.pieces.values()],
        this.tmpPath("journal"),
      );
      const fields = { task: task.meta.id, checked: unsealed.length, dropped };
      if (dropped > 0) this.log.warn("dropped pieces whose bytes a crash lost", fields);
      else this.log.info("checked pieces journaled after the last sync", fields);
    } catch (err) {
      // Unreadable content: trust only the sealed pieces; the others are fetched again.
      for (const p of unsealed) task.pieces.delete(p.number);
      this.log.warn(
        "could not check pieces journaled after the last sync; they will be fetched again",
        {
          task: task.meta.id,
          pieces: unsealed.length,
          error: String(err),
        },
      );
    }
  }

  /** checkPieces keeps each piece whose stored bytes match its digest; returns how many did not. */
  private async checkPieces(task: StoredTask, unsealed: PieceMeta[]): Promise<number> {
    const fh = await open(task.contentPath, "r");
    let dropped = 0;
    try {
      const buf = Buffer.allocUnsafe(task.meta.pieceLength);
      for (const p of unsealed) {
        const fits = p.length > 0 && p.length <= buf.length && p.offset >= 0;
        const { bytesRead } = fits ? await fh.read(buf, 0, p.length, p.offset) : { bytesRead: -1 };
        if (bytesRead === p.length && pieceDigest(buf.subarray(0, p.length)) === p.digest) {
          task.pieces.set(p.number, p);
        } else {
          task.pieces.delete(p.number);
          dropped++;
        }
      }
      await syncData(fh.fd);
    } finally {
      await fh.close();
    }
    return dropped;
  }

  private makeTask(meta: TaskMeta): StoredTask {
    return new StoredTask(
      meta,
      this.layout.content(meta.id),
      this.layout.pieceJournal(meta.id),
      (m) => this.writeMeta(m),
    );
  }

  /** writeMeta replaces the metadata file atomically (temp file, fsync, rename). */
  private async writeMeta(meta: TaskMeta): Promise<void> {
    const tmp = join(this.layout.tmpDir, `${meta.id}.${randomBytes(4).toString("hex")}.json`);
    const fh = await open(tmp, "w");
    try {
      await fh.writeFile(JSON.stringify(meta));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.layout.taskMeta(meta.id));
  }

  /** get returns a stored task. */
  get(taskId: string): StoredTask | undefined {
    return this.tasks.get(taskId);
  }

  /** require returns a stored task or throws NotFound. */
  require(taskId: string): StoredTask {
    const t = TASK_ID_PATTERN.test(taskId) ? this.tasks.get(taskId) : undefined;
    if (!t) throw notFound("task", taskId);
    return t;
  }

  /** all lists every stored task. */
  all(): StoredTask[] {
    return [...this.tasks.values()];
  }

  /**
   * downloadTaskStarted returns the stored task, creating its sparse content file and metadata
   * when new. A stored task whose lengths differ from the source's is replaced.
   */
  async downloadTaskStarted(meta: TaskMeta): Promise<StoredTask> {
    const existing = this.tasks.get(meta.id);
    if (
      existing &&
      existing.meta.contentLength === meta.contentLength &&
      existing.meta.pieceLength === meta.pieceLength
    ) {
      return existing;
    }
    if (existing) await this.deleteTask(meta.id, { force: true });
    const path = this.layout.content(meta.id);
    await mkdir(dirname(path), { recursive: true });
    retireContent(path);
    await writeFile(path, "");
    const fh = await open(path, "r+");
    try {
      await fh.truncate(meta.contentLength);
    } finally {
      await fh.close();
    }
    await this.writeMeta(meta);
    const task = this.makeTask(meta);
    this.tasks.set(meta.id, task);
    this.deletedAt.delete(meta.id);
    return task;
  }

  /** deleteTask removes a task; an active one only with `force` (never by GC). */
  async deleteTask(taskId: string, opts: { force?: boolean } = {}): Promise<void> {
    const task = this.require(taskId);
    if (task.active > 0 && !opts.force) {
      throw new DfError(
        ErrorCode.InvalidStateTransition,
        `task ${taskId} is being downloaded or uploaded`,
        { taskId },
      );
    }
    this.tasks.delete(taskId);
    this.deletedAt.delete(taskId);
    this.deletedAt.set(taskId, Date.now());
    if (this.deletedAt.size > MAX_REMEMBERED_DELETIONS) {
      const [oldest] = this.deletedAt.keys();
      if (oldest) this.deletedAt.delete(oldest);
    }
    task.deleted();
    await task.close().catch(() => undefined);
    await this.removeFiles(taskId);
    for (const listener of this.deletedListeners) listener(taskId);
  }

  /** wasDeleted tells whether the task was deleted here within the last `withinMs`. */
  wasDeleted(taskId: string, withinMs = 60_000, now = Date.now()): boolean {
    const at = this.deletedAt.get(taskId);
    return at !== undefined && now - at <= withinMs;
  }

  /** onTaskDeleted hears every task removal (API, GC, a failed digest), after its files are gone. */
  onTaskDeleted(listener: (taskId: string) => void): void {
    this.deletedListeners.push(listener);
  }

  /** removeFiles deletes metadata first, so a crash mid-way leaves only orphan content. */
  private async removeFiles(taskId: string): Promise<void> {
    await rm(this.layout.taskMeta(taskId), { force: true });
    await rm(this.layout.pieceJournal(taskId), { force: true });
    await rm(this.layout.content(taskId), { force: true });
    retireContent(this.layout.content(taskId));
  }

  /** tmpPath returns a fresh path in the storage's temp folder. */
  tmpPath(hint: string): string {
    return join(this.layout.tmpDir, `${hint}.${randomBytes(6).toString("hex")}`);
  }

  /** close seals and releases every task; one that fails is logged and the others still close. */
  async close(): Promise<void> {
    const tasks = this.all();
    const results = await Promise.allSettled(tasks.map((t) => t.close()));
    results.forEach((r, i) => {
      if (r.status === "rejected")
        this.log.warn("could not seal a task at close; its unsealed pieces are checked at start", {
          task: tasks[i]?.meta.id,
          error: String(r.reason),
        });
    });
  }
}
