import type { Decision } from "./decision";

/** DEFAULT_DECISIONS_PER_TASK is how many recent decisions are kept for each task. */
export const DEFAULT_DECISIONS_PER_TASK = 100;
/** DEFAULT_DECISION_TASKS is how many tasks keep decisions; the least recently active goes first. */
export const DEFAULT_DECISION_TASKS = 1000;

/** DecisionLog keeps the last decisions per task in memory, bounded in both directions. */
export class DecisionLog {
  readonly #perTask: number;
  readonly #maxTasks: number;
  readonly #byTask = new Map<string, Decision[]>();

  constructor(opts: { perTask?: number; maxTasks?: number } = {}) {
    this.#perTask = Math.max(1, opts.perTask ?? DEFAULT_DECISIONS_PER_TASK);
    this.#maxTasks = Math.max(1, opts.maxTasks ?? DEFAULT_DECISION_TASKS);
  }

  /** taskCount is how many tasks have decisions. */
  get taskCount(): number {
    return this.#byTask.size;
  }

  /** record appends a decision, dropping the task's oldest and the least active task if full. */
  record(decision: Decision): void {
    const list = this.#byTask.get(decision.taskId) ?? [];
    this.#byTask.delete(decision.taskId);
    list.push(decision);
    if (list.length > this.#perTask) list.splice(0, list.length - this.#perTask);
    this.#byTask.set(decision.taskId, list);
    if (this.#byTask.size > this.#maxTasks) {
      const oldest = this.#byTask.keys().next();
      if (oldest.done !== true) this.#byTask.delete(oldest.value);
    }
  }

  /** list returns a task's decisions newest first, optionally for one peer and at most `limit`. */
  list(taskId: string, opts: { peerId?: string; limit?: number } = {}): Decision[] {
    const all = this.#byTask.get(taskId) ?? [];
    const mine = opts.peerId === undefined ? all : all.filter((d) => d.peerId === opts.peerId);
    const newest = [...mine].reverse();
    return opts.limit !== undefined && opts.limit > 0 ? newest.slice(0, opts.limit) : newest;
  }

  /** delete forgets a task's decisions (when the task is collected). */
  delete(taskId: string): void {
    this.#byTask.delete(taskId);
  }
}
