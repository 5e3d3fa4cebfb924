import { mkdirSync, rmSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import { dirname } from "node:path";

import * as grpc from "@grpc/grpc-js";

import type { ClientConfig } from "@df/cluster-config";
import type { Logger } from "@df/logger";
import { DfdaemonDownloadService, DfdaemonUploadService } from "@df/proto/dfdaemon/v2";
import { addHealthService } from "@df/proto/health";
import { bindServer, stopServer } from "@df/proto/serve";

import { crc32Backend } from "./task/crc32";
import type { DfdaemonConfig } from "./config/schema";
import { TaskDownloader } from "./download/task-download";
import { startGc } from "./gc/gc";
import { handleDownloadTask } from "./grpc/download-task";
import { handleDeleteTask, handleStatTask } from "./grpc/task-rpcs";
import { hostIdentity } from "./identity";
import { createHostLimiters, applyLimits } from "./limit/host-limiters";
import { SchedulerPool } from "./p2p/scheduler-pool";
import { handleSyncPieces } from "./p2p/sync-pieces";
import { createProxyServer, type ProxyServer } from "./proxy/server";
import { Storage } from "./storage/storage";
import { createPieceServer } from "./upload/piece-server";

/** DfdaemonServer is the daemon's composition root: build, serve, stop in reverse order. */
export interface DfdaemonServer {
  serve(): Promise<void>;
  stop(): Promise<void>;
  /** applyClientConfig applies a cluster client config at once (rates, concurrency, GC). */
  applyClientConfig(config: ClientConfig): void;
  /** setSchedulers replaces the schedulers this daemon may use (from the manager). */
  setSchedulers(addrs: string[]): void;
  /** hostId is this daemon's host id, as announced to schedulers. */
  readonly hostId: string;
}

/** listenHttp binds an HTTP server and rejects with a message naming the address. */
function listenHttp(server: HttpServer, host: string, port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (err) =>
      reject(new Error(`dfdaemon: cannot listen ${what} on ${host}:${port}: ${err.message}`)),
    );
    server.listen(port, host, () => resolve());
  });
}

/** createDfdaemonServer wires the daemon's subsystems from its config. */
export function createDfdaemonServer(config: DfdaemonConfig, log: Logger): DfdaemonServer {
  let client: ClientConfig = config.download;
  const limiters = createHostLimiters(client);
  const identity = hostIdentity(config.host.ip, config.host.hostname, config.seedPeer.enable);
  const upload = new grpc.Server();
  const uploadHealth = addHealthService(upload);
  const download = new grpc.Server();
  const downloadHealth = addHealthService(download);
  const healthHttp = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/healthy") {
      res.writeHead(200, { "content-type": "text/plain" }).end("OK");
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  let storage: Storage | undefined;
  let pieces: HttpServer | undefined;
  let proxy: ProxyServer | undefined;
  let stopGc = () => {};
  const pool = new SchedulerPool(
    {
      hostId: identity.hostId,
      seed: config.seedPeer.enable,
      hostname: config.host.hostname,
      ip: config.host.ip,
      port: config.upload.port,
      downloadPort: config.upload.dataPort,
      proxyPort: config.proxy.port,
      idc: config.host.idc,
      location: config.host.location,
      uploadLimit: () => client.load_limit,
    },
    log,
  );

  return {
    hostId: identity.hostId,
    setSchedulers(addrs) {
      pool.setAddrs(addrs);
      log.info("schedulers updated", { schedulers: addrs.join(",") });
    },
    applyClientConfig(next) {
      client = next;
      applyLimits(limiters, next);
      log.info("client config applied", {
        download_rate_limit: next.download_rate_limit,
        piece_concurrency: next.piece_concurrency,
      });
    },
    async serve() {
      mkdirSync(dirname(config.server.socketPath), { recursive: true });
      storage = await Storage.open(config.storage.dataDir, log);
      // Loaded now rather than at the first piece, which would wait ~50 ms for the native module.
      log.info("piece digests", { crc32: crc32Backend() });
      const store = storage;
      store.onTaskDeleted((id) => void pool.taskDeleted(id));
      const downloader = new TaskDownloader({
        storage: store,
        limiters,
        log,
        pieceConcurrency: () => client.piece_concurrency,
        schedulers: pool,
        hostId: identity.hostId,
        peerId: identity.peerId,
      });
      const taskRpcs = {
        downloadTask: handleDownloadTask(downloader, identity),
        statTask: handleStatTask(store),
        deleteTask: handleDeleteTask(store),
      };
      download.addService(DfdaemonDownloadService, taskRpcs);
      upload.addService(DfdaemonUploadService, {
        ...taskRpcs,
        syncPieces: handleSyncPieces(store, {
          ip: config.host.ip,
          downloadPort: config.upload.dataPort,
        }),
      });
      pieces = createPieceServer({
        storage: store,
        limiters,
        log,
        loadLimit: () => client.load_limit,
      });
      // A socket left by a killed daemon would make the bind fail with EADDRINUSE.
      rmSync(config.server.socketPath, { force: true });
      await bindServer(download, `unix:${config.server.socketPath}`);
      await bindServer(upload, `${config.upload.listenIp}:${config.upload.port}`);
      await listenHttp(pieces, config.upload.listenIp, config.upload.dataPort, "piece data");
      proxy = createProxyServer({
        config: config.proxy,
        downloader,
        storage: store,
        log,
        dataDir: config.storage.dataDir,
      });
      await proxy.listen();
      await listenHttp(healthHttp, config.health.listenIp, config.health.port, "health");
      stopGc = startGc(
        store,
        () => ({
          ttlSeconds: client.gc_task_ttl_seconds,
          highWatermarkPercent: client.gc_disk_high_watermark_percent,
          lowWatermarkPercent: client.gc_disk_low_watermark_percent,
          capacityBytes: config.storage.capacityBytes,
        }),
        config.gc.intervalSeconds * 1000,
        log,
      );
      pool.setAddrs(config.scheduler.addrs);
      pool.start();
      for (const h of [uploadHealth, downloadHealth]) h.setStatus("", "SERVING");
      log.info("dfdaemon listening", {
        type: config.seedPeer.enable ? "seed" : "normal",
        host: identity.hostId.slice(0, 12),
        socket: config.server.socketPath,
        upload: `${config.upload.listenIp}:${config.upload.port}`,
        pieces: `http://${config.upload.listenIp}:${config.upload.dataPort}`,
        health: `http://${config.health.listenIp}:${config.health.port}/healthy`,
        data: config.storage.dataDir,
      });
    },
    async stop() {
      await proxy?.close();
      stopGc();
      await pool.leave();
      uploadHealth.shutdown();
      downloadHealth.shutdown();
      await new Promise<void>((resolve) => healthHttp.close(() => resolve()));
      if (pieces) {
        const p = pieces;
        p.closeAllConnections();
        await new Promise<void>((resolve) => p.close(() => resolve()));
      }
      await Promise.all([stopServer(upload), stopServer(download)]);
      await storage?.close();
      rmSync(config.server.socketPath, { force: true });
      log.info("dfdaemon stopped");
    },
  };
}
