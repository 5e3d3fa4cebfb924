import type { StoredTask } from "../storage/stored-task";
import type { PieceMeta } from "../storage/types";
import type { PieceSpan } from "../task/pieces";

/**
 * PieceClaims makes sure one daemon fetches each piece once: the first caller fetches, later
 * callers for the same piece wait for that fetch. A fetched piece is recorded in the task.
 */
export class PieceClaims {
  private readonly inflight = new Map<string, Map<number, Promise<PieceMeta>>>();

  /** claim returns the stored piece, awaits a running fetch of it, or runs `fetch`. */
  async claim(
    task: StoredTask,
    span: PieceSpan,
    fetch: () => Promise<PieceMeta>,
  ): Promise<{ piece: PieceMeta; fetched: boolean }> {
    const stored = task.pieces.get(span.number);
    if (stored) return { piece: stored, fetched: false };
    let perTask = this.inflight.get(task.meta.id);
    if (!perTask) this.inflight.set(task.meta.id, (perTask = new Map()));
    const running = perTask.get(span.number);
    if (running) return { piece: await running, fetched: false };
    const promise = fetch().then((piece) => {
      task.downloadPieceFinished(piece);
      return piece;
    });
    perTask.set(span.number, promise);
    try {
      return { piece: await promise, fetched: true };
    } finally {
      perTask.delete(span.number);
      if (perTask.size === 0) this.inflight.delete(task.meta.id);
    }
  }

  /** isInflight tells whether a piece of a task is being fetched. */
  isInflight(taskId: string, n: number): boolean {
    return this.inflight.get(taskId)?.has(n) ?? false;
  }
}
