import * as grpc from "@grpc/grpc-js";

import type { Logger } from "@df/logger";
import { HostType, type Host } from "@df/proto/common/v2";
import { SchedulerClient } from "@df/proto/scheduler/v2";

import { rendezvousOrder } from "./rendezvous";

/** ANNOUNCE_INTERVAL_MS is how often the host re-announces itself to every scheduler. */
export const ANNOUNCE_INTERVAL_MS = 30_000;

/** HostDescription is what this daemon announces about itself. */
export interface HostDescription {
  hostId: string;
  seed: boolean;
  hostname: string;
  ip: string;
  port: number;
  downloadPort: number;
  proxyPort: number;
  idc: string;
  location: string;
  /** uploadLimit is the host's concurrent upload cap, read at each announce. */
  uploadLimit: () => number;
}

/**
 * SchedulerPool knows the schedulers this daemon may use, keeps one client per scheduler,
 * announces the host to each of them, and orders them per task by rendezvous hashing.
 */
export class SchedulerPool {
  private addrs: string[] = [];
  private readonly clients = new Map<string, SchedulerClient>();
  private readonly announced = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: HostDescription,
    private readonly log: Logger,
  ) {}

  /** setAddrs replaces the scheduler list and announces the host to new schedulers. */
  setAddrs(addrs: readonly string[]): void {
    this.addrs = [...new Set(addrs)];
    for (const a of this.addrs)
      if (!this.announced.has(a)) void this.announce(a).catch(() => undefined);
  }

  /** size is the number of known schedulers. */
  get size(): number {
    return this.addrs.length;
  }

  /** orderFor lists the schedulers to try for a task, best first. */
  orderFor(taskId: string): string[] {
    return rendezvousOrder(taskId, this.addrs);
  }

  /** client returns the (cached) client of a scheduler. */
  client(addr: string): SchedulerClient {
    let c = this.clients.get(addr);
    if (!c)
      this.clients.set(addr, (c = new SchedulerClient(addr, grpc.credentials.createInsecure())));
    return c;
  }

  private hostProto(): Host {
    const h = this.host;
    return {
      id: h.hostId,
      type: h.seed ? HostType.HOST_TYPE_SEED : HostType.HOST_TYPE_NORMAL,
      hostname: h.hostname,
      ip: h.ip,
      port: h.port,
      downloadPort: h.downloadPort,
      proxyPort: h.proxyPort,
      idc: h.idc,
      location: h.location,
      os: process.platform,
      platform: "",
      kernelVersion: "",
      cpu: undefined,
      memory: undefined,
      network: {
        uploadRateLimit: 0,
        uploadConcurrency: 0,
        uploadConcurrencyLimit: h.uploadLimit(),
        tcpConnectionCount: 0,
        idc: h.idc,
        location: h.location,
        txBandwidth: 0,
      },
      disk: undefined,
      build: undefined,
      schedulerClusterId: 0,
      disableShared: false,
      createdAt: undefined,
      updatedAt: undefined,
    };
  }

  /** announce tells one scheduler about this host; resolves when it acknowledged. */
  announce(addr: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client(addr).announceHost(
        { host: this.hostProto(), intervalMs: ANNOUNCE_INTERVAL_MS },
        new grpc.Metadata(),
        { deadline: Date.now() + 5_000 },
        (err) => {
          if (err) {
            this.announced.delete(addr);
            this.log.debug("announce host failed", { scheduler: addr, error: err.details });
            reject(err);
            return;
          }
          this.announced.add(addr);
          resolve();
        },
      );
    });
  }

  /** ensureAnnounced announces to `addr` unless already done. */
  async ensureAnnounced(addr: string): Promise<void> {
    if (!this.announced.has(addr)) await this.announce(addr);
  }

  /** start re-announces to every scheduler periodically. */
  start(): void {
    this.timer = setInterval(() => {
      for (const a of this.addrs) void this.announce(a).catch(() => undefined);
    }, ANNOUNCE_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * taskDeleted tells the schedulers this host announced to that it no longer holds the task, so
   * they stop offering its peer as a parent (best effort: a scheduler that never heard of the task
   * answers NOT_FOUND, which is fine).
   */
  taskDeleted(taskId: string): Promise<void> {
    return Promise.all(
      [...this.announced].map(
        (a) =>
          new Promise<void>((resolve) =>
            this.client(a).deleteTask(
              { taskId, hostId: this.host.hostId },
              new grpc.Metadata(),
              { deadline: Date.now() + 2_000 },
              () => resolve(),
            ),
          ),
      ),
    ).then(() => undefined);
  }

  /** leave tells every scheduler this host is going away, then closes the clients. */
  async leave(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(
      [...this.announced].map(
        (a) =>
          new Promise<void>((resolve) =>
            this.client(a).deleteHost(
              { hostId: this.host.hostId },
              new grpc.Metadata(),
              { deadline: Date.now() + 2_000 },
              () => resolve(),
            ),
          ),
      ),
    );
    for (const c of this.clients.values()) c.close();
  }
}
