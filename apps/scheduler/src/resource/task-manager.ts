import { TaskEvent } from "./lifecycle";
import { ResourceMap } from "./resource-map";
import type { Task } from "./task";

/** TaskManager stores tasks and forgets those left without peers. */
export class TaskManager extends ResourceMap<Task> {
  readonly #ttlMs: number;

  constructor(opts: { ttlMs: number }) {
    super();
    this.#ttlMs = opts.ttlMs;
  }

  /** runGC removes tasks that have had no peer for longer than the task TTL; returns their ids. */
  runGC(now: number): string[] {
    const removed: string[] = [];
    this.range((task) => {
      if (task.peers.size > 0 || now - task.updatedAt <= this.#ttlMs) return;
      this.delete(task.id);
      removed.push(task.id);
    });
    return removed;
  }

  protected override detach(task: Task): void {
    if (task.fsm.can(TaskEvent.Leave)) task.fsm.fire(TaskEvent.Leave);
  }
}
