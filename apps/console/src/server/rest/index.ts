import type { IncomingMessage, ServerResponse } from "node:http";

import type { ManagerServices } from "../services";
import { createRestHandler } from "./handler";
import { buildOpenApi } from "./openapi";
import { defineRoute, type Route } from "./router";
import { auditsRoutes } from "./routes/audits";
import { jobsRoutes } from "./routes/jobs";
import { legacyPreheatsRoutes } from "./routes/legacy-preheats";
import { oapiClustersRoutes } from "./routes/oapi-clusters";
import { personalAccessTokensRoutes } from "./routes/personal-access-tokens";
import { rolesRoutes } from "./routes/roles";
import { schedulerClustersRoutes } from "./routes/scheduler-clusters";
import { schedulersRoutes } from "./routes/schedulers";
import { seedPeersRoutes } from "./routes/seed-peers";
import { usersRoutes } from "./routes/users";

/** REST_PREFIXES are the URL prefixes served by the REST API. */
export const REST_PREFIXES = ["/api/v1/", "/oapi/v1/"] as const;

/** API_ROUTES are every resource route of /api/v1 and /oapi/v1. */
export const API_ROUTES: readonly Route[] = [
  ...usersRoutes,
  ...rolesRoutes,
  ...personalAccessTokensRoutes,
  ...schedulerClustersRoutes,
  ...schedulersRoutes,
  ...seedPeersRoutes,
  ...auditsRoutes,
  ...oapiClustersRoutes,
  ...jobsRoutes,
  ...legacyPreheatsRoutes,
];

/** openApiDocument is generated once, on first request, from the whole route table. */
let openApiDocument: Record<string, unknown> | undefined;

/** ROUTES are the API routes plus the OpenAPI document itself. */
export const ROUTES: readonly Route[] = [
  ...API_ROUTES,
  defineRoute({
    method: "GET",
    path: "/api/v1/openapi.json",
    action: "openapi.get",
    summary: "This OpenAPI document",
    permission: "public",
    handle: () => Promise.resolve({ body: (openApiDocument ??= buildOpenApi(ROUTES)) }),
  }),
];

/** LEGACY_PATHS are Dragonfly v1's preheat routes (served only when jobs.legacyPreheatApi is on). */
const LEGACY_PATHS = /^\/(_ping|preheats)(\/|$)/;

/** isRestPath tells whether a URL path belongs to the REST API. */
export const isRestPath = (path: string): boolean =>
  REST_PREFIXES.some((p) => path.startsWith(p)) || LEGACY_PATHS.test(path);

/** createRest builds the REST request handler. */
export function createRest(
  services: ManagerServices,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return createRestHandler(services, ROUTES);
}
