import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from "node:http";
import { fileURLToPath } from "node:url";

import * as grpc from "@grpc/grpc-js";
import next from "next";

import { createDb, seed, type DbHandle } from "@df/db";
import type { Logger } from "@df/logger";
import { addHealthService } from "@df/proto/health";
import { bindServer, stopServer } from "@df/proto/serve";

import type { ManagerConfig } from "./config";
import { addManagerService } from "./grpc/adapter";
import { createHttpHandler } from "./http/handler";
import { createServices, type ManagerServices } from "./services";
import { startSweeper } from "./services/liveness";

/** CONSOLE_DIR is the Next.js app folder (apps/console). */
const CONSOLE_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** ManagerOptions tune what the manager serves; tests and benches run without pages. */
export interface ManagerOptions {
  /** pages serves the Next.js console (needs `next build`); without it other paths answer 404. */
  pages?: boolean;
}

/** Manager is the composition root of the manager: database, gRPC, HTTP (REST, tRPC, pages). */
export interface Manager {
  serve(): Promise<{ httpPort: number; grpcPort: number }>;
  stop(): Promise<void>;
  /** services are the shared services once serving (tests and benches reach in). */
  services(): ManagerServices;
}

/** listen starts the HTTP server, naming the address on failure. */
function listen(server: HttpServer, host: string, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once("error", (err) =>
      reject(new Error(`manager: cannot listen on ${host}:${port}: ${err.message}`)),
    );
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

/** createManager builds the manager; nothing listens until `serve`. */
export function createManager(
  config: ManagerConfig,
  log: Logger,
  opts: ManagerOptions = {},
): Manager {
  let handle: DbHandle | undefined;
  let http: HttpServer | undefined;
  let services: ManagerServices | undefined;
  let stopSweeper: (() => Promise<void>) | undefined;
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
      const shared = createServices(handle.db, config, log);
      services = shared;
      addManagerService(grpcServer, shared);

      let pages = (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return Promise.resolve();
      };
      if (opts.pages ?? true) {
        const app = next({
          dev: false,
          dir: CONSOLE_DIR,
          hostname: config.http.listenIp,
          port: config.http.port,
        });
        await app.prepare();
        const render = app.getRequestHandler();
        pages = (req, res) => render(req, res);
      }
      http = createServer(createHttpHandler(shared, pages));
      const httpPort = await listen(http, config.http.listenIp, config.http.port);
      const grpcPort = await bindServer(grpcServer, `${config.grpc.listenIp}:${config.grpc.port}`);
      health.setStatus("", "SERVING");
      stopSweeper = startSweeper(shared.liveness, config.keepAlive.sweepSeconds * 1000, log);
      shared.jobs.start();
      log.info("manager listening", {
        http: `http://${config.http.listenIp}:${httpPort}`,
        grpc: `${config.grpc.listenIp}:${grpcPort}`,
        database: handle.where,
      });
      return { httpPort, grpcPort };
    },
    async stop() {
      health.shutdown();
      services?.configBus.close();
      await services?.liveness.shutdown();
      await services?.jobs.stop();
      await stopServer(grpcServer);
      await stopSweeper?.();
      if (http) {
        const server = http;
        server.closeIdleConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await handle?.close();
      log.info("manager stopped");
    },
    services() {
      if (!services) throw new Error("manager: not serving yet");
      return services;
    },
  };
}
