import { createHash } from "node:crypto";

import * as grpc from "@grpc/grpc-js";

import type { Logger } from "@df/logger";
import type { Download } from "@df/proto/common/v2";
import { DfdaemonUploadClient } from "@df/proto/dfdaemon/v2";

import type { Host } from "../resource/host";

/** SeedPeerTrigger asks a seed peer to fetch a task from the source, so other peers can use it. */
export interface SeedPeerTrigger {
  /** available tells whether any seed host can be triggered now. */
  available(now: number): boolean;
  /** trigger starts the seed download in the background; false when no seed could be asked. */
  trigger(taskId: string, download: Download, now: number): boolean;
  /** running tells whether a seed peer is still downloading the task for the swarm. */
  running(taskId: string): boolean;
  close(): void;
}

/** RETRIGGER_AFTER_MS is how long a task's trigger is remembered before a seed is asked again. */
const RETRIGGER_AFTER_MS = 30_000;

/** pickSeed orders seeds by rendezvous hash of the task id, so one task sticks to one seed. */
export function pickSeed(seeds: readonly Host[], taskId: string): Host | undefined {
  const weight = (h: Host) =>
    createHash("sha256").update(`${taskId}|${h.id}`).digest().readUInt32BE(0);
  return [...seeds].sort((a, b) => weight(b) - weight(a))[0];
}

/** createSeedPeerTrigger calls DfdaemonUpload.DownloadTask on the chosen seed host. */
export function createSeedPeerTrigger(
  seeds: (now: number) => Host[],
  log: Logger,
): SeedPeerTrigger {
  const clients = new Map<string, DfdaemonUploadClient>();
  const triggered = new Map<string, number>();
  const downloading = new Set<string>();
  const client = (addr: string) => {
    let c = clients.get(addr);
    if (!c)
      clients.set(addr, (c = new DfdaemonUploadClient(addr, grpc.credentials.createInsecure())));
    return c;
  };
  return {
    available: (now) => seeds(now).length > 0,
    trigger(taskId, download, now) {
      const last = triggered.get(taskId);
      if (last !== undefined && now - last < RETRIGGER_AFTER_MS) return true;
      const seed = pickSeed(seeds(now), taskId);
      if (!seed) return false;
      triggered.set(taskId, now);
      const addr = `${seed.info.ip}:${seed.info.port}`;
      log.info("triggering seed peer", { task: taskId, seed: seed.info.hostname, addr });
      const call = client(addr).downloadTask({
        download: { ...download, needBackToSource: true, outputPath: undefined, range: undefined },
      });
      downloading.add(taskId);
      call.on("data", () => {});
      call.on("error", (err: grpc.ServiceError) => {
        triggered.delete(taskId);
        downloading.delete(taskId);
        log.warn("seed peer download failed", {
          task: taskId,
          seed: seed.info.hostname,
          error: err.details,
        });
      });
      call.on("end", () => {
        downloading.delete(taskId);
        log.info("seed peer finished task", { task: taskId, seed: seed.info.hostname });
      });
      return true;
    },
    running: (taskId) => downloading.has(taskId),
    close() {
      for (const c of clients.values()) c.close();
    },
  };
}
