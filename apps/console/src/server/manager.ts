import { createServer, type Server as HttpServer } from "node:http";
import { fileURLToPath } from "node:url";

import * as grpc from "@grpc/grpc-js";
import next from "next";

import { createDb, seed, type DbHandle } from "@df/db";
import type { Logger } from "@df/logger";
import { addHealthService } from "@df/proto/health";
import { bindServer, stopServer } from "@df/proto/serve";

import type { ManagerConfig } from "./config";
import { createHttpHandler } from "./http/handler";
import { createServices } from "./services";

/** CONSOLE_DIR is the Next.js app folder (apps/console). */
const CONSOLE_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** Manager is the composition root of the manager: database, gRPC, HTTP (REST, tRPC, pages). */
export interface Manager {
  serve(): Promise<{ httpPort: number; grpcPort: number }>;
  stop(): Promise<void>;
}

/** createManager builds the manager; nothing listens until `serve`. */
export function createManager(config: ManagerConfig, log: Logger): Manager {
  let handle: DbHandle | undefined;
  let http: HttpServer | undefined;
  const grpcServer = new grpc.Server();
  const health = addHealthService(grpcServer);

  return {
    async serve() {
      handle = await createDb({
        url: config.database.url || undefined,
        dataDir: config.database.dataDir,
      });
      await handle.migrate();
      const seeded = await seed(handle.db, {
        initialRootPassword: config.initialRootPassword,
        personalAccessToken: config.personalAccessToken,
      });
      if (seeded.generatedRootPassword) {
        log.warn("created user root with a generated password, shown only this once", {
          password: seeded.generatedRootPassword,
        });
      }
      const services = createServices(handle.db, config, log);

      const app = next({
        dev: false,
        dir: CONSOLE_DIR,
        hostname: config.http.listenIp,
        port: config.http.port,
      });
      await app.prepare();
      const pages = app.getRequestHandler();
      http = createServer(createHttpHandler(services, (req, res) => pages(req, res)));
      const server = http;
      await new Promise<void>((resolve, reject) => {
        server.once("error", (err) =>
          reject(
            new Error(
              `manager: cannot listen on ${config.http.listenIp}:${config.http.port}: ${err.message}`,
            ),
          ),
        );
        server.listen(config.http.port, config.http.listenIp, () => resolve());
      });
      const grpcPort = await bindServer(grpcServer, `${config.grpc.listenIp}:${config.grpc.port}`);
      health.setStatus("", "SERVING");
      const address = server.address();
      const httpPort = typeof address === "object" && address ? address.port : config.http.port;
      log.info("manager listening", {
        http: `http://${config.http.listenIp}:${httpPort}`,
        grpc: `${config.grpc.listenIp}:${grpcPort}`,
        database: handle.where,
      });
      return { httpPort, grpcPort };
    },
    async stop() {
      health.shutdown();
      await stopServer(grpcServer);
      if (http) {
        const server = http;
        server.closeIdleConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await handle?.close();
      log.info("manager stopped");
    },
  };
}
