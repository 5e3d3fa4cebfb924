import { DfError, ErrorCode } from "@df/errors";
import type { Database } from "@df/db";
import { eq, generateToken, hashToken, sessions, users, verifyPassword } from "@df/db";

import type { ManagerServices } from ".";
import type { SigninThrottle } from "./signin-throttle";

/** SESSION_COOKIE names the HTTP-only cookie that carries the session token. */
export const SESSION_COOKIE = "df_session";

/** SignInResult carries the new session token (for the cookie) and who signed in. */
export interface SignInResult {
  token: string;
  expiresAt: Date;
  user: { id: number; name: string };
}

/**
 * signIn checks a name and password, throttling repeated failures per `throttleKey`, and opens a
 * session. Unknown users and wrong passwords get the same error, so names cannot be probed.
 */
export async function signIn(
  db: Database,
  throttle: SigninThrottle,
  input: { name: string; password: string; throttleKey: string; ttlHours: number },
): Promise<SignInResult> {
  const wait = throttle.retryAfterMs(input.throttleKey);
  if (wait > 0) {
    throw new DfError(
      ErrorCode.RateLimited,
      `too many failed sign-ins; retry in ${Math.ceil(wait / 1000)} s`,
      {
        retryAfterSeconds: Math.ceil(wait / 1000),
      },
    );
  }
  const [user] = await db.select().from(users).where(eq(users.name, input.name));
  const ok = user ? await verifyPassword(input.password, user.encryptedPassword) : false;
  if (!user || !ok) {
    throttle.fail(input.throttleKey);
    throw new DfError(ErrorCode.Unauthenticated, "wrong user name or password");
  }
  if (user.state !== "enable")
    throw new DfError(ErrorCode.PermissionDenied, "this user is disabled");
  throttle.succeed(input.throttleKey);
  const token = generateToken("dfs_");
  const expiresAt = new Date(Date.now() + input.ttlHours * 3_600_000);
  await db.insert(sessions).values({ id: hashToken(token), userId: user.id, expiresAt });
  return { token, expiresAt, user: { id: user.id, name: user.name } };
}

/** signOut ends a session; an unknown token is not an error. */
export async function signOut(db: Database, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, hashToken(token)));
}

/** signInFrom signs in for an HTTP edge, throttling by user name and client address. */
export function signInFrom(
  services: ManagerServices,
  input: { name: string; password: string },
  clientIp: string,
): Promise<SignInResult> {
  return signIn(services.db, services.signinThrottle, {
    ...input,
    throttleKey: `${input.name}@${clientIp}`,
    ttlHours: services.config.session.ttlHours,
  });
}
