import type { IncomingMessage, ServerResponse } from "node:http";

import type { Context } from "../api/trpc";
import type { ManagerServices } from "../services";
import { SESSION_COOKIE } from "../services/auth";
import { principalFromSession, principalFromToken } from "../services/principal";
import { parseCookies, sessionCookie } from "./cookies";

/** createContext resolves the caller (bearer token, else session cookie) for any HTTP edge. */
export async function createContext(
  services: ManagerServices,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Context> {
  const sessionToken = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const principal = bearer
    ? await principalFromToken(services.db, bearer)
    : sessionToken
      ? await principalFromSession(services.db, sessionToken)
      : null;
  const appendCookie = (value: string) => res.appendHeader("set-cookie", value);
  return {
    services,
    principal,
    clientIp: req.socket.remoteAddress ?? "unknown",
    sessionToken,
    setSessionCookie: (token, expiresAt) =>
      appendCookie(sessionCookie(SESSION_COOKIE, token, expiresAt)),
    clearSessionCookie: () => appendCookie(sessionCookie(SESSION_COOKIE, "", null)),
  };
}
