import type { Database } from "@df/db";
import {
  and,
  asc,
  count,
  eq,
  hashPassword,
  hashToken,
  ilike,
  inArray,
  ne,
  roles,
  sessions,
  userRoles,
  users,
  verifyPassword,
} from "@df/db";
import { invalidArgument, notFound } from "@df/errors";

import { containsPattern, preconditionFailed, uniquely, type Queryable } from "./db-util";
import { offsetOf, pageOf, type Page, type PageQuery } from "./pagination";
import { assertRootRemains } from "./roles";

/** PUBLIC_COLUMNS are the user columns safe to show: never the password hash. */
const PUBLIC_COLUMNS = {
  id: users.id,
  name: users.name,
  email: users.email,
  state: users.state,
  bio: users.bio,
  avatar: users.avatar,
  phone: users.phone,
  location: users.location,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

/** UserView is a user without secrets, with the names of the roles it holds. */
export type UserView = {
  [K in keyof typeof PUBLIC_COLUMNS]: (typeof users.$inferSelect)[K];
} & { roles: string[] };

/** withRoles attaches role names to user rows. */
async function withRoles(db: Queryable, rows: Array<Omit<UserView, "roles">>): Promise<UserView[]> {
  const ids = rows.map((r) => r.id);
  const held = ids.length
    ? await db
        .select({ userId: userRoles.userId, name: roles.name })
        .from(userRoles)
        .innerJoin(roles, eq(roles.id, userRoles.roleId))
        .where(inArray(userRoles.userId, ids))
    : [];
  return rows.map((r) => ({
    ...r,
    roles: held
      .filter((h) => h.userId === r.id)
      .map((h) => h.name)
      .sort(),
  }));
}

/** getUser returns one user. */
export async function getUser(db: Queryable, id: number): Promise<UserView> {
  const rows = await db.select(PUBLIC_COLUMNS).from(users).where(eq(users.id, id));
  const [user] = await withRoles(db, rows);
  if (!user) throw notFound("user", id);
  return user;
}

/** listUsers returns users by id, optionally filtered by name substring and state. */
export async function listUsers(
  db: Database,
  q: PageQuery & { name?: string | undefined; state?: string | undefined },
): Promise<Page<UserView>> {
  const where = and(
    q.name ? ilike(users.name, containsPattern(q.name)) : undefined,
    q.state ? eq(users.state, q.state) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select(PUBLIC_COLUMNS)
      .from(users)
      .where(where)
      .orderBy(asc(users.id))
      .limit(q.perPage)
      .offset(offsetOf(q)),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return pageOf(await withRoles(db, rows), total?.n ?? 0, q);
}

/** createUser creates an enabled user holding `roleIds`, or the guest role when none are given. */
export async function createUser(
  db: Database,
  input: {
    name: string;
    password: string;
    email?: string | undefined;
    bio: string;
    roleIds?: number[] | undefined;
  },
): Promise<UserView> {
  const encryptedPassword = await hashPassword(input.password);
  return uniquely("user", input.name, () =>
    db.transaction(async (tx) => {
      const wanted = input.roleIds ?? [];
      const found = wanted.length
        ? await tx.select({ id: roles.id }).from(roles).where(inArray(roles.id, wanted))
        : await tx.select({ id: roles.id }).from(roles).where(eq(roles.name, "guest"));
      const missing = wanted.find((id) => !found.some((r) => r.id === id));
      if (missing !== undefined) throw notFound("role", missing);
      const [user] = await tx
        .insert(users)
        .values({ name: input.name, email: input.email ?? null, bio: input.bio, encryptedPassword })
        .returning({ id: users.id });
      if (!user) throw new Error("insert returned no user");
      if (found.length)
        await tx.insert(userRoles).values(found.map((r) => ({ userId: user.id, roleId: r.id })));
      return getUser(tx, user.id);
    }),
  );
}

/**
 * updateUser lets an administrator enable or disable a user and reset its password. Disabling or
 * resetting ends the user's sessions; nobody may disable themselves or the last enabled root.
 */
export async function updateUser(
  db: Database,
  actorUserId: number,
  id: number,
  input: { state?: "enable" | "disable" | undefined; password?: string | undefined },
): Promise<UserView> {
  const encryptedPassword = input.password ? await hashPassword(input.password) : undefined;
  return db.transaction(async (tx) => {
    await getUser(tx, id);
    if (input.state === "disable" && id === actorUserId)
      throw preconditionFailed("you cannot disable yourself");
    if (input.state || encryptedPassword)
      await tx
        .update(users)
        .set({
          ...(input.state ? { state: input.state } : {}),
          ...(encryptedPassword ? { encryptedPassword } : {}),
        })
        .where(eq(users.id, id));
    if (input.state === "disable") await assertRootRemains(tx);
    if (input.state === "disable" || encryptedPassword)
      await tx.delete(sessions).where(eq(sessions.userId, id));
    return getUser(tx, id);
  });
}

/** changeOwnPassword checks the old password, sets the new one and ends the user's other sessions. */
export async function changeOwnPassword(
  db: Database,
  userId: number,
  currentSession: string | undefined,
  input: { oldPassword: string; newPassword: string },
): Promise<{ id: number }> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw notFound("user", userId);
  if (!(await verifyPassword(input.oldPassword, user.encryptedPassword)))
    throw invalidArgument("oldPassword", "does not match the current password");
  const encryptedPassword = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ encryptedPassword }).where(eq(users.id, userId));
    const keep = currentSession ? hashToken(currentSession) : "";
    await tx.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keep)));
  });
  return { id: userId };
}
