import type { StoredTask } from "../storage/stored-task";
import type { PieceMeta } from "../storage/types";

/** PieceSource says where a piece came from, for progress and traffic accounting. */
export type PieceSource = "local" | "source" | "parent";

/** StartedInfo is the first progress event: the task's shape. */
export interface StartedInfo {
  taskId: string;
  contentLength: number;
  pieceLength: number;
  pieceCount: number;
  isFinished: boolean;
  responseHeader: Record<string, string>;
}

/** DownloadEvents receive progress as it happens. */
export interface DownloadEvents {
  started?(info: StartedInfo): void;
  piece?(piece: PieceMeta, from: PieceSource, progress: { bytes: number; pieces: number }): void;
}

/** Progress reports each piece of one request exactly once, whichever path delivered it. */
export class Progress {
  readonly bySource: Record<PieceSource, number> = { local: 0, source: 0, parent: 0 };
  private readonly seen = new Set<number>();
  private startedSent = false;
  private readonly counters = { bytes: 0, pieces: 0 };

  constructor(private readonly events: DownloadEvents) {}

  /** started sends the started event once. */
  started(task: StoredTask): void {
    if (this.startedSent) return;
    this.startedSent = true;
    this.events.started?.({
      taskId: task.meta.id,
      contentLength: task.meta.contentLength,
      pieceLength: task.meta.pieceLength,
      pieceCount: task.pieceCount,
      isFinished: task.isFinished,
      responseHeader: task.meta.responseHeader,
    });
  }

  /** piece reports a piece unless it was reported already. */
  piece(p: PieceMeta, from: PieceSource): void {
    if (this.seen.has(p.number)) return;
    this.seen.add(p.number);
    this.bySource[from] += p.length;
    this.counters.bytes += p.length;
    this.counters.pieces++;
    this.events.piece?.(p, from, this.counters);
  }

  /** has tells whether a piece was reported. */
  has(n: number): boolean {
    return this.seen.has(n);
  }
}
