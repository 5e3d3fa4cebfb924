import type { Database } from "@df/db";
import { asc, count, eq, generateToken, hashToken, personalAccessTokens, users } from "@df/db";
import { invalidArgument, notFound } from "@df/errors";

import { uniquely } from "./db-util";
import { offsetOf, pageOf, type Page, type PageQuery } from "./pagination";

/** TOKEN_PREFIX starts every personal access token, so leaked tokens are recognisable. */
export const TOKEN_PREFIX = "dfp_";

/** MAX_TOKEN_LIFETIME_MS caps a token's lifetime at ten years. */
const MAX_TOKEN_LIFETIME_MS = 10 * 365 * 86_400_000;

/** VIEW_COLUMNS are the token columns safe to list: never the hash. */
const VIEW_COLUMNS = {
  id: personalAccessTokens.id,
  name: personalAccessTokens.name,
  bio: personalAccessTokens.bio,
  tokenPrefix: personalAccessTokens.tokenPrefix,
  scopes: personalAccessTokens.scopes,
  state: personalAccessTokens.state,
  expiredAt: personalAccessTokens.expiredAt,
  lastUsedAt: personalAccessTokens.lastUsedAt,
  userId: personalAccessTokens.userId,
  userName: users.name,
  createdAt: personalAccessTokens.createdAt,
  updatedAt: personalAccessTokens.updatedAt,
};

/** TokenView is a token as listed: metadata and owner, no secret. */
export interface TokenView {
  id: number;
  name: string;
  bio: string;
  tokenPrefix: string;
  scopes: string[];
  state: string;
  expiredAt: Date;
  lastUsedAt: Date | null;
  userId: number;
  userName: string;
  createdAt: Date;
  updatedAt: Date;
}

/** getToken returns one token's metadata. */
async function getToken(db: Database, id: number): Promise<TokenView> {
  const [row] = await db
    .select(VIEW_COLUMNS)
    .from(personalAccessTokens)
    .innerJoin(users, eq(users.id, personalAccessTokens.userId))
    .where(eq(personalAccessTokens.id, id));
  if (!row) throw notFound("personal access token", id);
  return row;
}

/** listTokens returns tokens by id, optionally of one owner. */
export async function listTokens(
  db: Database,
  q: PageQuery & { userId?: number | undefined },
): Promise<Page<TokenView>> {
  const where = q.userId ? eq(personalAccessTokens.userId, q.userId) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select(VIEW_COLUMNS)
      .from(personalAccessTokens)
      .innerJoin(users, eq(users.id, personalAccessTokens.userId))
      .where(where)
      .orderBy(asc(personalAccessTokens.id))
      .limit(q.perPage)
      .offset(offsetOf(q)),
    db.select({ n: count() }).from(personalAccessTokens).where(where),
  ]);
  return pageOf(rows, total?.n ?? 0, q);
}

/**
 * createToken creates an active token owned by `ownerId`. The secret is in the result only: the
 * database keeps its hash and a short prefix to tell tokens apart.
 */
export async function createToken(
  db: Database,
  ownerId: number,
  input: { name: string; bio: string; scopes: string[]; expiredAt: string },
): Promise<TokenView & { token: string }> {
  const expiredAt = new Date(input.expiredAt);
  const lifetime = expiredAt.getTime() - Date.now();
  if (lifetime <= 0) throw invalidArgument("expiredAt", "must be in the future");
  if (lifetime > MAX_TOKEN_LIFETIME_MS)
    throw invalidArgument("expiredAt", "must be within 10 years");
  const token = generateToken(TOKEN_PREFIX);
  const [row] = await uniquely("personal access token", input.name, () =>
    db
      .insert(personalAccessTokens)
      .values({
        name: input.name,
        bio: input.bio,
        scopes: [...new Set(input.scopes)],
        expiredAt,
        tokenHash: hashToken(token),
        tokenPrefix: token.slice(0, 12),
        userId: ownerId,
      })
      .returning({ id: personalAccessTokens.id }),
  );
  if (!row) throw new Error("insert returned no token");
  return { ...(await getToken(db, row.id)), token };
}

/** revokeToken deactivates a token; it is refused from the next request on. */
export async function revokeToken(db: Database, id: number): Promise<TokenView> {
  const [row] = await db
    .update(personalAccessTokens)
    .set({ state: "inactive" })
    .where(eq(personalAccessTokens.id, id))
    .returning({ id: personalAccessTokens.id });
  if (!row) throw notFound("personal access token", id);
  return getToken(db, id);
}
