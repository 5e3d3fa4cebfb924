/** GcTask is what eviction needs to know of a stored task. */
export interface GcTask {
  id: string;
  /** bytes is the task's size on disk. */
  bytes: number;
  accessedAt: number;
  /** active is true while the task is being downloaded or uploaded; such tasks are never evicted. */
  active: boolean;
}

/** GcPolicy is the TTL and the disk watermarks (percent of capacity). */
export interface GcPolicy {
  now: number;
  ttlMs: number;
  capacityBytes: number;
  usedBytes: number;
  highWatermarkPercent: number;
  lowWatermarkPercent: number;
}

/** Eviction names a task to remove and why. */
export interface Eviction {
  id: string;
  reason: "ttl" | "disk";
}

/**
 * selectEvictions picks tasks to remove: first every idle task not accessed within the TTL; then,
 * if disk use is at or above the high watermark, idle tasks least recently used first until use
 * falls below the low watermark. Formula: evict while (used − freed) / capacity ≥ low / 100.
 */
export function selectEvictions(tasks: readonly GcTask[], p: GcPolicy): Eviction[] {
  const out: Eviction[] = [];
  let used = p.usedBytes;
  const idle = tasks.filter((t) => !t.active);
  const kept: GcTask[] = [];
  for (const t of idle) {
    if (t.accessedAt + p.ttlMs < p.now) {
      out.push({ id: t.id, reason: "ttl" });
      used -= t.bytes;
    } else {
      kept.push(t);
    }
  }
  if (p.capacityBytes <= 0 || (used / p.capacityBytes) * 100 < p.highWatermarkPercent) return out;
  for (const t of kept.sort((a, b) => a.accessedAt - b.accessedAt)) {
    if ((used / p.capacityBytes) * 100 < p.lowWatermarkPercent) break;
    out.push({ id: t.id, reason: "disk" });
    used -= t.bytes;
  }
  return out;
}
