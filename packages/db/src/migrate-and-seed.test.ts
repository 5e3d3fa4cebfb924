import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { createDb, type DbHandle } from "./client";
import { SchedulerConfigSchema } from "@df/cluster-config";
import {
  configRevisions,
  personalAccessTokens,
  rolePermissions,
  roles,
  schedulerClusters,
  seedPeerClusters,
  users,
} from "./schema";
import { seed } from "./seed";
import { hashToken, verifyPassword } from "./secrets";
import { createTestPostgres } from "./testing";
import { RESOURCES } from "./rbac";
import { sql } from "drizzle-orm";

const targets: Array<{
  name: string;
  open: () => Promise<{ handle: DbHandle; cleanup: () => Promise<void> }>;
}> = [
  {
    name: "postgresql",
    open: async () => {
      const pg = await createTestPostgres();
      const handle = await createDb({ url: pg.url });
      return {
        handle,
        cleanup: async () => {
          await handle.close();
          await pg.drop();
        },
      };
    },
  },
  {
    name: "pglite",
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), "df-pglite-"));
      const handle = await createDb({ dataDir: join(dir, "data") });
      return {
        handle,
        cleanup: async () => {
          await handle.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

const migrationHashes = new Map<string, string[]>();

describe.each(targets)("migrations and seed on $name", ({ name, open }) => {
  let ctx: Awaited<ReturnType<typeof open>> | undefined;
  afterAll(async () => ctx?.cleanup());

  it("applies the committed migrations and seeds the defaults once, even when run twice", async () => {
    ctx = await open();
    const { db } = ctx.handle;
    await ctx.handle.migrate();
    await ctx.handle.migrate();
    const applied = await db.execute<{ hash: string }>(
      sql`select hash from drizzle.__drizzle_migrations order by id`,
    );
    const rows = (
      Array.isArray(applied) ? applied : (applied as { rows: Array<{ hash: string }> }).rows
    ) as Array<{ hash: string }>;
    migrationHashes.set(
      name,
      rows.map((r) => r.hash),
    );
    expect(rows.length).toBeGreaterThan(0);

    const first = await seed(db, {
      initialRootPassword: "correct-horse-1",
      personalAccessToken: "pat-from-env-123",
    });
    const second = await seed(db, {
      initialRootPassword: "another-pass-2",
      personalAccessToken: "pat-from-env-123",
    });
    expect(first).toMatchObject({ createdRoot: true, createdToken: true });
    expect(first.generatedRootPassword).toBeUndefined();
    expect(second).toEqual({ createdRoot: false, createdToken: false });

    const allUsers = await db.select().from(users);
    expect(allUsers.map((u) => u.name)).toEqual(["root"]);
    const root = allUsers[0];
    expect(root?.encryptedPassword.startsWith("scrypt$")).toBe(true);
    expect(await verifyPassword("correct-horse-1", root?.encryptedPassword ?? "")).toBe(true);
    expect(await verifyPassword("another-pass-2", root?.encryptedPassword ?? "")).toBe(false);

    expect((await db.select().from(roles)).map((r) => r.name).sort()).toEqual(["guest", "root"]);
    expect(await db.select().from(rolePermissions)).toHaveLength(RESOURCES.length * 2);
    const clusters = await db.select().from(schedulerClusters);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]?.isDefault).toBe(true);
    expect(clusters[0]?.config).toEqual(SchedulerConfigSchema.parse({}));
    expect(await db.select().from(seedPeerClusters)).toHaveLength(1);
    expect(await db.select().from(configRevisions)).toHaveLength(1);
    const tokens = await db.select().from(personalAccessTokens);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.tokenHash).toBe(hashToken("pat-from-env-123"));
    expect(tokens[0]?.scopes).toEqual(["job", "cluster"]);
  });
});

describe("seed without an initial password", () => {
  it("generates a root password, reports it once, and rejects a too-short given password", async () => {
    const dir = mkdtempSync(join(tmpdir(), "df-pglite-"));
    const handle = await createDb({ dataDir: join(dir, "data") });
    try {
      await handle.migrate();
      await expect(seed(handle.db, { initialRootPassword: "short" })).rejects.toThrow(
        /DRAGONFLY_INITIAL_ROOT_PASSWORD/,
      );
      const first = await seed(handle.db);
      expect(first.generatedRootPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
      const [root] = await handle.db.select().from(users);
      expect(
        await verifyPassword(first.generatedRootPassword ?? "", root?.encryptedPassword ?? ""),
      ).toBe(true);
      const again = await seed(handle.db);
      expect(again.generatedRootPassword).toBeUndefined();
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("records the same migration hashes on PostgreSQL and PGlite", () => {
    expect(migrationHashes.get("postgresql")).toEqual(migrationHashes.get("pglite"));
  });
});
