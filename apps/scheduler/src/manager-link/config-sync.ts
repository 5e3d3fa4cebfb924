import { isDeepStrictEqual } from "node:util";

import { SchedulerConfigSchema, type SchedulerConfig } from "@df/cluster-config";
import type { Logger } from "@df/logger";
import type { ConfigUpdate } from "@df/proto/manager/v2";

import { readDynconfig, writeDynconfig, type Dynconfig } from "./dynconfig-file";

/** ReportApplied tells the manager which revision is in force, or why one was refused. */
export type ReportApplied = (update: ConfigUpdate, error?: string) => Promise<void>;

/** parseSchedulerConfig validates a pushed JSON document, or returns an Error naming the fields. */
export function parseSchedulerConfig(json: string): SchedulerConfig | Error {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    return new Error(`not JSON: ${(err as Error).message}`);
  }
  const parsed = SchedulerConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return new Error(
    parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "),
  );
}

/**
 * ConfigSync keeps the scheduler's cluster config in step with the manager: it restores the
 * config kept on disk at start, then validates, applies, keeps and reports every pushed
 * revision strictly in arrival order. A refused push leaves the previous config in force.
 */
export class ConfigSync {
  private current: Dynconfig | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly log: Logger,
    private readonly apply: (config: SchedulerConfig, revision: number) => void,
  ) {}

  /** restore applies the config kept on disk, if there is a valid one. */
  restore(): void {
    const kept = readDynconfig(this.path);
    if (kept instanceof Error) {
      this.log.warn("ignoring unreadable kept scheduler config", {
        file: this.path,
        error: kept.message,
      });
      return;
    }
    if (!kept) return;
    this.log.info("restoring scheduler config kept on disk", { revision: kept.revision });
    this.apply(kept.scheduler_config, kept.revision);
    this.current = kept;
  }

  /** revision is the revision in force (0 when none came from the manager yet). */
  revision(): number {
    return this.current?.revision ?? 0;
  }

  /** push queues one pushed update; it never rejects. */
  push(update: ConfigUpdate, report: ReportApplied): void {
    this.queue = this.queue.then(() =>
      this.handle(update, report).catch((err: unknown) =>
        this.log.error("cannot handle scheduler config push", { error: String(err) }),
      ),
    );
  }

  /** handle validates, applies (when the content changed), keeps and reports one update. */
  private async handle(update: ConfigUpdate, report: ReportApplied): Promise<void> {
    const { revision } = update;
    const next = parseSchedulerConfig(update.schedulerConfigJson);
    if (next instanceof Error) {
      this.log.warn("scheduler config push refused, keeping the previous config", {
        revision,
        error: next.message,
      });
      return report(update, next.message);
    }
    const previous = this.current;
    const changed = !previous || !isDeepStrictEqual(previous.scheduler_config, next);
    if (changed) {
      try {
        this.apply(next, revision);
      } catch (err) {
        this.log.error("cannot apply scheduler config", { revision, error: String(err) });
        return report(update, String(err));
      }
    }
    if (changed || previous?.revision !== revision) {
      this.current = { revision, scheduler_config: next };
      await writeDynconfig(this.path, this.current).catch((err: unknown) =>
        this.log.error("cannot keep scheduler config on disk", {
          file: this.path,
          error: String(err),
        }),
      );
    }
    await report(update);
  }
}
