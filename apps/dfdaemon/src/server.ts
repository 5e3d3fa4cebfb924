import { mkdirSync, rmSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import { dirname } from "node:path";

import * as grpc from "@grpc/grpc-js";

import { addHealthService } from "@df/proto/health";
import { bindServer, stopServer } from "@df/proto/serve";
import type { Logger } from "@df/logger";

import type { DfdaemonConfig } from "./config/schema";

/** DfdaemonServer is the daemon's composition root: build, serve, stop in reverse order. */
export interface DfdaemonServer {
  serve(): Promise<void>;
  stop(): Promise<void>;
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

/** createDfdaemonServer wires the daemon's servers from its config. */
export function createDfdaemonServer(config: DfdaemonConfig, log: Logger): DfdaemonServer {
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

  return {
    async serve() {
      mkdirSync(config.storage.dataDir, { recursive: true });
      mkdirSync(dirname(config.server.socketPath), { recursive: true });
      // A socket left by a killed daemon would make the bind fail with EADDRINUSE.
      rmSync(config.server.socketPath, { force: true });
      await bindServer(download, `unix:${config.server.socketPath}`);
      await bindServer(upload, `${config.upload.listenIp}:${config.upload.port}`);
      await listenHttp(healthHttp, config.health.listenIp, config.health.port, "health");
      for (const h of [uploadHealth, downloadHealth]) h.setStatus("", "SERVING");
      log.info("dfdaemon listening", {
        type: config.seedPeer.enable ? "seed" : "normal",
        socket: config.server.socketPath,
        upload: `${config.upload.listenIp}:${config.upload.port}`,
        health: `http://${config.health.listenIp}:${config.health.port}/healthy`,
        data: config.storage.dataDir,
      });
    },
    async stop() {
      uploadHealth.shutdown();
      downloadHealth.shutdown();
      await new Promise<void>((resolve) => healthHttp.close(() => resolve()));
      await Promise.all([stopServer(upload), stopServer(download)]);
      rmSync(config.server.socketPath, { force: true });
      log.info("dfdaemon stopped");
    },
  };
}
