import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";

import { createHTTPHandler } from "@trpc/server/adapters/standalone";

import { appRouter } from "../api/root";
import { createRest, isRestPath } from "../rest";
import type { ManagerServices } from "../services";
import { createContext } from "./context";

/** TRPC_PATH is where the console's tRPC client calls. */
export const TRPC_PATH = "/api/trpc/";

/**
 * createHttpHandler routes the manager's HTTP port: `/healthy`, tRPC, REST (`/api/v1`, `/oapi/v1`),
 * and everything else to the Next.js console pages.
 */
export function createHttpHandler(
  services: ManagerServices,
  next: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): RequestListener {
  const rest = createRest(services);
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: TRPC_PATH,
    createContext: ({ req, res }) => createContext(services, req, res),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR")
        services.log.error("trpc error", { path, error: error.message });
    },
  });
  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path === "/healthy") {
      res.writeHead(200, { "content-type": "text/plain" }).end("OK");
      return;
    }
    if (path.startsWith(TRPC_PATH)) {
      trpc(req, res);
      return;
    }
    if (isRestPath(path)) {
      void rest(req, res);
      return;
    }
    next(req, res).catch((err: unknown) => {
      services.log.error("page error", { path, error: String(err) });
      if (!res.headersSent) res.writeHead(500).end("internal error");
    });
  };
}
