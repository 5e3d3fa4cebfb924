import type { SchedulerConfig } from "@df/cluster-config";
import type { Logger } from "@df/logger";
import { noopLogger } from "@df/logger";
import type { CPU, Disk, Memory, Network } from "@df/proto/common/v2";

import type { Clock } from "./fsm";
import { Fsm } from "./fsm";
import { HostEvent, hostTransitions, HostState } from "./lifecycle";

/** HostType separates ordinary peers from seed peers. */
export type HostType = "normal" | "seed";

/** HostInfo is what a host announces about itself; every announce overwrites it. */
export interface HostInfo {
  id: string;
  type: HostType;
  hostname: string;
  ip: string;
  /** port is the DfdaemonUpload gRPC port. */
  port: number;
  /** downloadPort is the HTTP port serving piece bytes. */
  downloadPort: number;
  idc?: string;
  location?: string;
  disableShared?: boolean;
  /** uploadLimit is the host's own cap on concurrent uploads (0 = leave it to the cluster). */
  uploadLimit?: number;
  /** announceIntervalMs is how often the host re-announces (0 = unknown). */
  announceIntervalMs?: number;
  cpu?: CPU;
  memory?: Memory;
  network?: Network;
  disk?: Disk;
}

/** HostIsolation is the failure accounting that can take a host out of scheduling for a while. */
export interface HostIsolation {
  /** failures counts weighted upload failures in the current window. */
  failures: number;
  /** windowStartedAt is when the current failure window began (0 = none). */
  windowStartedAt: number;
  /** isolatedUntil is when the host may serve again (0 = never isolated). */
  isolatedUntil: number;
  /** totalFailures counts every weighted failure since the host appeared. */
  totalFailures: number;
}

/** UploadLimits are the cluster's per-type upload caps. */
export type UploadLimits = Pick<SchedulerConfig, "seed_peer_load_limit" | "peer_load_limit">;

/** HostOptions inject the clock and a logger. */
export interface HostOptions {
  clock?: Clock;
  log?: Logger;
}

/** Host is one machine running a dfdaemon, as the scheduler sees it. */
export class Host {
  readonly id: string;
  info: Readonly<HostInfo>;
  /** uploadsInUse counts child edges this scheduler has pointed at the host's peers. */
  uploadsInUse = 0;
  readonly peers = new Set<string>();
  readonly isolation: HostIsolation = {
    failures: 0,
    windowStartedAt: 0,
    isolatedUntil: 0,
    totalFailures: 0,
  };
  readonly fsm: Fsm<HostState, HostEvent>;
  readonly createdAt: number;
  lastAnnouncedAt: number;
  readonly #clock: Clock;

  constructor(info: HostInfo, opts: HostOptions = {}) {
    this.#clock = opts.clock ?? Date.now;
    this.id = info.id;
    this.info = { ...info };
    this.createdAt = this.#clock();
    this.lastAnnouncedAt = this.createdAt;
    const log = (opts.log ?? noopLogger).with({ host: info.id });
    this.fsm = new Fsm("host", HostState.Announced, hostTransitions, {
      clock: this.#clock,
      onTransition: (t) => log.debug("host state changed", { from: t.from, to: t.to }),
    });
  }

  /** type is normal or seed. */
  get type(): HostType {
    return this.info.type;
  }

  /** idc is the host's data centre ("" = unknown). */
  get idc(): string {
    return this.info.idc ?? "";
  }

  /** location is the host's `|`-separated location ("" = unknown). */
  get location(): string {
    return this.info.location ?? "";
  }

  /** announce refreshes every announced field and the announce time. */
  announce(info: HostInfo): void {
    this.fsm.fire(HostEvent.Announce);
    this.info = { ...info, id: this.id };
    this.lastAnnouncedAt = this.fsm.updatedAt;
  }

  /** isIsolated tells whether too many failures keep the host out of scheduling at `now`. */
  isIsolated(now: number): boolean {
    return this.isolation.isolatedUntil > now;
  }

  /**
   * uploadLimit is the cluster cap for the host's type, lowered to the host's own cap when it
   * announces one.
   */
  uploadLimit(limits: UploadLimits): number {
    const cluster = this.type === "seed" ? limits.seed_peer_load_limit : limits.peer_load_limit;
    const own = this.info.uploadLimit ?? 0;
    return own > 0 ? Math.min(own, cluster) : cluster;
  }

  /**
   * uploadsBusy is the larger of the scheduler's own edge count and the host's last reported
   * upload concurrency: the first reacts at once, the second catches traffic from elsewhere.
   */
  uploadsBusy(): number {
    return Math.max(this.uploadsInUse, this.info.network?.uploadConcurrency ?? 0);
  }

  /** freeUploadSlots is how many more children the host may serve (never negative). */
  freeUploadSlots(limits: UploadLimits): number {
    return Math.max(0, this.uploadLimit(limits) - this.uploadsBusy());
  }

  /** expired tells whether the host stopped announcing: silent for 2 intervals or the TTL. */
  expired(now: number, ttlMs: number): boolean {
    const interval = this.info.announceIntervalMs ?? 0;
    const limit = interval > 0 ? Math.min(ttlMs, 2 * interval) : ttlMs;
    return now - this.lastAnnouncedAt > limit;
  }
}
