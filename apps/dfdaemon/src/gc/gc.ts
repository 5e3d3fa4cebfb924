import { statfs } from "node:fs/promises";

import type { Logger } from "@df/logger";

import type { Storage } from "../storage/storage";
import { selectEvictions, type Eviction } from "./select";

/** GcSettings are read at every run so a config pushed by the manager applies at once. */
export interface GcSettings {
  ttlSeconds: number;
  highWatermarkPercent: number;
  lowWatermarkPercent: number;
  /** capacityBytes caps the storage; 0 means the filesystem's size and free space are used. */
  capacityBytes: number;
}

/** diskUsage returns capacity and use: the configured cap and the tasks' sizes, or the filesystem's. */
async function diskUsage(
  storage: Storage,
  capacityBytes: number,
): Promise<{ capacity: number; used: number }> {
  if (capacityBytes > 0) {
    return {
      capacity: capacityBytes,
      used: storage.all().reduce((n, t) => n + t.meta.contentLength, 0),
    };
  }
  const fs = await statfs(storage.layout.dataDir);
  const capacity = fs.blocks * fs.bsize;
  return { capacity, used: capacity - fs.bavail * fs.bsize };
}

/** runGc evicts what selectEvictions picks and returns the evictions made. */
export async function runGc(
  storage: Storage,
  settings: GcSettings,
  log: Logger,
  now = Date.now(),
): Promise<Eviction[]> {
  const { capacity, used } = await diskUsage(storage, settings.capacityBytes);
  const tasks = storage.all().map((t) => ({
    id: t.meta.id,
    bytes: t.meta.contentLength,
    accessedAt: t.meta.accessedAt,
    active: t.active > 0,
  }));
  const evictions = selectEvictions(tasks, {
    now,
    ttlMs: settings.ttlSeconds * 1000,
    capacityBytes: capacity,
    usedBytes: used,
    highWatermarkPercent: settings.highWatermarkPercent,
    lowWatermarkPercent: settings.lowWatermarkPercent,
  });
  for (const e of evictions) {
    // A task may have become active since selection; deleteTask refuses it then.
    await storage.deleteTask(e.id).then(
      () => log.info("evicted task", { task: e.id, reason: e.reason }),
      (err: unknown) => log.debug("eviction skipped", { task: e.id, error: String(err) }),
    );
  }
  return evictions;
}

/** startGc runs GC every `intervalMs` until the returned stop function is called. */
export function startGc(
  storage: Storage,
  settings: () => GcSettings,
  intervalMs: number,
  log: Logger,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runGc(storage, settings(), log)
      .catch((err: unknown) => log.warn("gc failed", { error: String(err) }))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
