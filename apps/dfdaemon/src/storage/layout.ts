import { join } from "node:path";

/** Layout names every file of the daemon's storage under its data folder. */
export class Layout {
  constructor(readonly dataDir: string) {}

  /** contentDir holds one sparse file per task, pieces written at their offsets. */
  get contentDir(): string {
    return join(this.dataDir, "content", "tasks");
  }

  /** metadataDir holds `<id>.json` (task) and `<id>.pieces` (finished-piece journal). */
  get metadataDir(): string {
    return join(this.dataDir, "metadata", "tasks");
  }

  /** tmpDir holds files being written before an atomic rename. */
  get tmpDir(): string {
    return join(this.dataDir, "tmp");
  }

  /** content is `content/tasks/<first 3 chars>/<id>`, as in Dragonfly. */
  content(taskId: string): string {
    return join(this.contentDir, taskId.slice(0, 3), taskId);
  }

  taskMeta(taskId: string): string {
    return join(this.metadataDir, `${taskId}.json`);
  }

  pieceJournal(taskId: string): string {
    return join(this.metadataDir, `${taskId}.pieces`);
  }
}
