import { isDeepStrictEqual } from "node:util";

import { ClientConfigSchema, type ClientConfig } from "@df/cluster-config";
import type { Logger } from "@df/logger";
import type { ConfigUpdate } from "@df/proto/manager/v2";

import { readDynconfig, writeDynconfig, type Dynconfig } from "./dynconfig-file";

/** ReportApplied tells the manager which revision is in force, or why one was refused. */
export type ReportApplied = (update: ConfigUpdate, error?: string) => Promise<void>;

/** DaemonSyncOptions are the kept file, the fallback schedulers and the daemon's hooks. */
export interface DaemonSyncOptions {
  path: string;
  log: Logger;
  /** fallback is `scheduler.addrs`, used until the manager ever named a scheduler. */
  fallback: readonly string[];
  apply: (config: ClientConfig, revision: number) => void;
  setSchedulers: (addrs: string[]) => void;
}

/** parseClientConfig validates a pushed JSON document, or returns an Error naming the fields. */
export function parseClientConfig(json: string): ClientConfig | Error {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    return new Error(`not JSON: ${(err as Error).message}`);
  }
  const parsed = ClientConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return new Error(
    parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "),
  );
}

/**
 * DaemonSync keeps the daemon's client config and scheduler list in step with the manager. It
 * restores both from disk at start, then validates, applies, keeps and reports every pushed
 * revision strictly in arrival order; a refused push leaves the previous config in force. An
 * empty scheduler answer never replaces a known list.
 */
export class DaemonSync {
  private kept: Dynconfig = { revision: 0, client_config: null, schedulers: [] };
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly opts: DaemonSyncOptions) {}

  /** restore applies the client config kept on disk and sets the kept (or fallback) schedulers. */
  restore(): void {
    const { log, path } = this.opts;
    const kept = readDynconfig(path);
    if (kept instanceof Error)
      log.warn("ignoring unreadable kept client config", { file: path, error: kept.message });
    else if (kept) this.kept = kept;
    if (this.kept.client_config) {
      log.info("restoring client config kept on disk", { revision: this.kept.revision });
      this.opts.apply(this.kept.client_config, this.kept.revision);
    }
    this.opts.setSchedulers(this.schedulers());
  }

  /** revision is the revision in force (0 when none came from the manager yet). */
  revision(): number {
    return this.kept.revision;
  }

  /** schedulers are the learned schedulers, or the fallback when none were ever learned. */
  schedulers(): string[] {
    return this.kept.schedulers.length ? [...this.kept.schedulers] : [...this.opts.fallback];
  }

  /** learnSchedulers takes the manager's active schedulers; an empty list keeps the known one. */
  learnSchedulers(addrs: string[]): void {
    if (addrs.length === 0) {
      this.opts.log.debug("manager named no active scheduler, keeping the known list");
      return;
    }
    if (isDeepStrictEqual(addrs, this.kept.schedulers)) return;
    this.kept = { ...this.kept, schedulers: [...addrs] };
    this.opts.setSchedulers([...addrs]);
    this.enqueue(() => this.save());
  }

  /** push queues one pushed update; it never rejects. */
  push(update: ConfigUpdate, report: ReportApplied): void {
    this.enqueue(() => this.handle(update, report));
  }

  /** enqueue runs `task` after every earlier one, logging its failure. */
  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(() =>
      task().catch((err: unknown) =>
        this.opts.log.error("manager link update failed", { error: String(err) }),
      ),
    );
  }

  /** handle validates, applies (when the content changed), keeps and reports one update. */
  private async handle(update: ConfigUpdate, report: ReportApplied): Promise<void> {
    const { revision } = update;
    const next = parseClientConfig(update.clientConfigJson);
    if (next instanceof Error) {
      this.opts.log.warn("client config push refused, keeping the previous config", {
        revision,
        error: next.message,
      });
      return report(update, next.message);
    }
    const changed = !isDeepStrictEqual(this.kept.client_config, next);
    if (changed) {
      try {
        this.opts.apply(next, revision);
      } catch (err) {
        this.opts.log.error("cannot apply client config", { revision, error: String(err) });
        return report(update, String(err));
      }
    }
    if (changed || this.kept.revision !== revision) {
      this.kept = { ...this.kept, revision, client_config: next };
      await this.save();
    }
    await report(update);
  }

  /** save writes the kept file; a failure is logged, the config stays in force. */
  private async save(): Promise<void> {
    await writeDynconfig(this.opts.path, this.kept).catch((err: unknown) =>
      this.opts.log.error("cannot keep manager config on disk", {
        file: this.opts.path,
        error: String(err),
      }),
    );
  }
}
