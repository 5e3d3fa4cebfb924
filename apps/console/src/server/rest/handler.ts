import type { IncomingMessage, ServerResponse } from "node:http";

import { createContext } from "../http/context";
import type { ManagerServices } from "../services";
import { actorOf, audited, auditEventOf } from "../services/audit";
import { camelKeys, queryOf, readJsonBody, send, sendError } from "./respond";
import { authorize, findRoute, type RestReply, type Route } from "./router";

/** claimedName is the `name` an anonymous caller sends (sign-in), for the audit log. */
function claimedName(body: unknown): string | undefined {
  const name = (body as { name?: unknown } | undefined)?.name;
  return typeof name === "string" ? name : undefined;
}

/**
 * createRestHandler serves `routes`: match, resolve the caller (bearer token or session cookie),
 * authorize with `can()`, validate with the route's zod schemas, run, and render. Every
 * non-GET request is audited, refused ones included, under the route's action name.
 */
export function createRestHandler(
  services: ManagerServices,
  routes: readonly Route[],
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://manager.local");
      const { route, params } = findRoute(routes, req.method ?? "GET", url.pathname);
      const ctx = await createContext(services, req, res);
      const body = route.method === "GET" ? undefined : camelKeys(await readJsonBody(req));
      const execute = (): Promise<RestReply> => {
        authorize(route, ctx.principal);
        return route.run({ ctx, params, query: queryOf(url), body, url });
      };
      if (route.method === "GET") {
        send(res, await execute());
        return;
      }
      // The audit helper takes the target id from the result, so it is handed the reply's body.
      let reply: RestReply = {};
      await audited(
        services,
        actorOf(ctx.principal, claimedName(body)),
        auditEventOf(route.action, { ...params, ...(body as object | undefined) }),
        async () => (reply = await execute()).body,
      );
      send(res, reply);
    } catch (err) {
      sendError(res, err, services.log);
    }
  };
}
