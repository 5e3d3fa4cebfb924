/**
 * RoundWaiters holds, per task, the peers whose last scheduling round found no parent and who
 * wait for the next one. A peer joining the task (a seed peer coming up, a sibling registering)
 * wakes them at once instead of leaving them to the retry interval: start-up latency is most of
 * a small download's time.
 */
export class RoundWaiters {
  readonly #byTask = new Map<string, Set<() => void>>();

  /** wait registers `wake` for the task until it fires or `cancel` is called. */
  wait(taskId: string, wake: () => void): () => void {
    let set = this.#byTask.get(taskId);
    if (!set) this.#byTask.set(taskId, (set = new Set()));
    set.add(wake);
    return () => {
      set.delete(wake);
      if (set.size === 0 && this.#byTask.get(taskId) === set) this.#byTask.delete(taskId);
    };
  }

  /** wakeAll runs every waiter of the task once and forgets them. */
  wakeAll(taskId: string): void {
    const set = this.#byTask.get(taskId);
    if (!set) return;
    this.#byTask.delete(taskId);
    for (const wake of set) wake();
  }
}
