import type { Action, Database, Resource } from "@df/db";
import { and, asc, count, eq, inArray, rolePermissions, roles, userRoles, users } from "@df/db";
import { notFound } from "@df/errors";

import { preconditionFailed, uniquely, type Queryable } from "./db-util";
import { offsetOf, pageOf, type Page, type PageQuery } from "./pagination";

/** Permission grants `action` on `resource`. */
export interface Permission {
  resource: Resource;
  action: Action;
}

/** RoleView is a role with its permissions. */
export interface RoleView {
  id: number;
  name: string;
  description: string;
  builtIn: boolean;
  permissions: Permission[];
  createdAt: Date;
  updatedAt: Date;
}

/** strongest merges duplicate grants on one resource, keeping write over read. */
function strongest(perms: readonly Permission[]): Permission[] {
  const out = new Map<Resource, Action>();
  for (const p of perms) if (out.get(p.resource) !== "write") out.set(p.resource, p.action);
  return [...out].map(([resource, action]) => ({ resource, action }));
}

/** withPermissions attaches permissions to role rows. */
async function withPermissions(
  db: Queryable,
  rows: Array<typeof roles.$inferSelect>,
): Promise<RoleView[]> {
  const ids = rows.map((r) => r.id);
  const perms = ids.length
    ? await db.select().from(rolePermissions).where(inArray(rolePermissions.roleId, ids))
    : [];
  return rows.map((r) => ({
    ...r,
    permissions: perms
      .filter((p) => p.roleId === r.id)
      .map((p) => ({ resource: p.resource as Resource, action: p.action as Action })),
  }));
}

/** customRole loads a role for change, refusing built-in roles. */
async function customRole(db: Queryable, id: number): Promise<typeof roles.$inferSelect> {
  const [role] = await db.select().from(roles).where(eq(roles.id, id));
  if (!role) throw notFound("role", id);
  if (role.builtIn) throw preconditionFailed(`role ${role.name} is built in and cannot change`);
  return role;
}

/** listRoles returns roles by id with their permissions. */
export async function listRoles(db: Database, q: PageQuery): Promise<Page<RoleView>> {
  const [rows, [total]] = await Promise.all([
    db.select().from(roles).orderBy(asc(roles.id)).limit(q.perPage).offset(offsetOf(q)),
    db.select({ n: count() }).from(roles),
  ]);
  return pageOf(await withPermissions(db, rows), total?.n ?? 0, q);
}

/** createRole creates a custom role with the given permissions. */
export async function createRole(
  db: Database,
  input: { name: string; description: string; permissions: Permission[] },
): Promise<RoleView> {
  return uniquely("role", input.name, () =>
    db.transaction(async (tx) => {
      const [role] = await tx
        .insert(roles)
        .values({ name: input.name, description: input.description })
        .returning();
      if (!role) throw new Error("insert returned no role");
      const perms = strongest(input.permissions);
      if (perms.length)
        await tx.insert(rolePermissions).values(perms.map((p) => ({ ...p, roleId: role.id })));
      const [view] = await withPermissions(tx, [role]);
      if (!view) throw new Error("role vanished");
      return view;
    }),
  );
}

/** updateRole changes a custom role's description and/or replaces its permissions. */
export async function updateRole(
  db: Database,
  id: number,
  input: { description?: string | undefined; permissions?: Permission[] | undefined },
): Promise<RoleView> {
  return db.transaction(async (tx) => {
    await customRole(tx, id);
    if (input.description !== undefined)
      await tx.update(roles).set({ description: input.description }).where(eq(roles.id, id));
    if (input.permissions) {
      await tx.delete(rolePermissions).where(eq(rolePermissions.roleId, id));
      const perms = strongest(input.permissions);
      if (perms.length)
        await tx.insert(rolePermissions).values(perms.map((p) => ({ ...p, roleId: id })));
    }
    const rows = await tx.select().from(roles).where(eq(roles.id, id));
    const [view] = await withPermissions(tx, rows);
    if (!view) throw notFound("role", id);
    return view;
  });
}

/** deleteRole deletes a custom role; its holders lose it. */
export async function deleteRole(db: Database, id: number): Promise<{ id: number }> {
  return db.transaction(async (tx) => {
    await customRole(tx, id);
    await tx.delete(roles).where(eq(roles.id, id));
    return { id };
  });
}

/** assertRootRemains refuses a change that leaves no enabled user holding the root role. */
export async function assertRootRemains(db: Queryable): Promise<void> {
  const [row] = await db
    .select({ n: count() })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(and(eq(roles.name, "root"), eq(users.state, "enable")));
  if (!row || row.n === 0)
    throw preconditionFailed("at least one enabled user must keep the root role");
}

/** assignRoles replaces the roles of a user. */
export async function assignRoles(
  db: Database,
  userId: number,
  roleIds: number[],
): Promise<{ id: number; roles: string[] }> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!user) throw notFound("user", userId);
    const wanted = [...new Set(roleIds)];
    const found = wanted.length
      ? await tx.select().from(roles).where(inArray(roles.id, wanted))
      : [];
    const missing = wanted.find((id) => !found.some((r) => r.id === id));
    if (missing !== undefined) throw notFound("role", missing);
    await tx.delete(userRoles).where(eq(userRoles.userId, userId));
    if (wanted.length)
      await tx.insert(userRoles).values(wanted.map((roleId) => ({ userId, roleId })));
    await assertRootRemains(tx);
    return { id: userId, roles: found.map((r) => r.name).sort() };
  });
}
