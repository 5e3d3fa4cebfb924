/** ResourceMap is an id-keyed store with the manager verbs; subclasses hook attach and detach. */
export class ResourceMap<T extends { readonly id: string }> {
  readonly #items = new Map<string, T>();

  /** size is the number of stored items. */
  get size(): number {
    return this.#items.size;
  }

  /** load returns the item with the id, if any. */
  load(id: string): T | undefined {
    return this.#items.get(id);
  }

  /** store adds or replaces the item (a replaced one is detached first). */
  store(item: T): void {
    const old = this.#items.get(item.id);
    if (old === item) return;
    if (old) this.detach(old);
    this.#items.set(item.id, item);
    this.attach(item);
  }

  /** loadOrStore returns the stored item with the id, or stores and returns the given one. */
  loadOrStore(item: T): { value: T; loaded: boolean } {
    const old = this.#items.get(item.id);
    if (old) return { value: old, loaded: true };
    this.store(item);
    return { value: item, loaded: false };
  }

  /** delete removes and detaches the item; returns false when it was not stored. */
  delete(id: string): boolean {
    const old = this.#items.get(id);
    if (!old) return false;
    this.#items.delete(id);
    this.detach(old);
    return true;
  }

  /** range calls fn on a snapshot of the items until it returns false. */
  range(fn: (item: T) => boolean | void): void {
    for (const item of [...this.#items.values()]) if (fn(item) === false) return;
  }

  /** values is a snapshot of the stored items. */
  values(): T[] {
    return [...this.#items.values()];
  }

  /** attach runs after an item is stored; managers link it to related resources. */
  protected attach(_item: T): void {}

  /** detach runs after an item is removed; managers unlink it from related resources. */
  protected detach(_item: T): void {}
}
