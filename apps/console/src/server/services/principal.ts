import type { Action, Database, Resource, TokenScope } from "@df/db";
import {
  and,
  eq,
  gt,
  hashToken,
  isNull,
  lt,
  or,
  personalAccessTokens,
  rolePermissions,
  sessions,
  TOKEN_SCOPES,
  userRoles,
  users,
} from "@df/db";

/** Principal is who is calling: a signed-in user or a personal access token acting for its owner. */
export interface Principal {
  kind: "user" | "token";
  userId: number;
  /** name is the user name, or `token:<name>` for a token. */
  name: string;
  /** permissions map each resource to the strongest action granted. */
  permissions: ReadonlyMap<Resource, Action>;
  tokenId?: number;
}

/** can tells whether the principal may perform `action` on `resource`; write implies read. */
export function can(p: Principal | null, resource: Resource, action: Action): boolean {
  const granted = p?.permissions.get(resource);
  return granted === "write" || (granted === "read" && action === "read");
}

/** loadPermissions merges the permissions of every role the user holds. */
async function loadPermissions(db: Database, userId: number): Promise<Map<Resource, Action>> {
  const rows = await db
    .select({ resource: rolePermissions.resource, action: rolePermissions.action })
    .from(userRoles)
    .innerJoin(rolePermissions, eq(rolePermissions.roleId, userRoles.roleId))
    .where(eq(userRoles.userId, userId));
  const perms = new Map<Resource, Action>();
  for (const r of rows) {
    const resource = r.resource as Resource;
    if (perms.get(resource) !== "write") perms.set(resource, r.action as Action);
  }
  return perms;
}

/** principalFromSession resolves a session cookie value; expired or disabled users resolve to null. */
export async function principalFromSession(db: Database, token: string): Promise<Principal | null> {
  const [row] = await db
    .select({ userId: users.id, name: users.name, state: users.state })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, hashToken(token)), gt(sessions.expiresAt, new Date())));
  if (!row || row.state !== "enable") return null;
  return {
    kind: "user",
    userId: row.userId,
    name: row.name,
    permissions: await loadPermissions(db, row.userId),
  };
}

/** LAST_USED_RESOLUTION_MS bounds how often a token's lastUsedAt is rewritten (once a minute). */
const LAST_USED_RESOLUTION_MS = 60_000;

/** principalFromToken resolves a bearer personal access token, limited to its scopes. */
export async function principalFromToken(db: Database, token: string): Promise<Principal | null> {
  const [row] = await db
    .select({ pat: personalAccessTokens, userState: users.state, userName: users.name })
    .from(personalAccessTokens)
    .innerJoin(users, eq(users.id, personalAccessTokens.userId))
    .where(eq(personalAccessTokens.tokenHash, hashToken(token)));
  if (
    !row ||
    row.pat.state !== "active" ||
    row.userState !== "enable" ||
    row.pat.expiredAt <= new Date()
  )
    return null;
  const now = new Date();
  await db
    .update(personalAccessTokens)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(personalAccessTokens.id, row.pat.id),
        or(
          isNull(personalAccessTokens.lastUsedAt),
          lt(personalAccessTokens.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS)),
        ),
      ),
    );
  const owner = await loadPermissions(db, row.pat.userId);
  const allowed = new Set<Resource>(
    row.pat.scopes.flatMap((s) => TOKEN_SCOPES[s as TokenScope] ?? []),
  );
  const permissions = new Map([...owner].filter(([resource]) => allowed.has(resource)));
  return {
    kind: "token",
    userId: row.pat.userId,
    name: `token:${row.pat.name}`,
    permissions,
    tokenId: row.pat.id,
  };
}
