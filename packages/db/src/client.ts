import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

import * as schema from "./schema";

/** Database is the drizzle handle shared by both drivers. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** DbHandle owns a connection: `db` for queries, `migrate` to apply migrations, `close` to end. */
export interface DbHandle {
  db: Database;
  kind: "postgres" | "pglite";
  /** where names the database without credentials, for logs. */
  where: string;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** DbOptions choose the driver: a `url` means PostgreSQL, otherwise embedded PGlite in `dataDir`. */
export interface DbOptions {
  url?: string | undefined;
  dataDir?: string | undefined;
  /** maxConnections caps the postgres.js pool (default 10). */
  maxConnections?: number;
}

/** MIGRATIONS_FOLDER is the committed drizzle migrations, shared by both drivers. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../migrations", import.meta.url));

/** redactUrl hides the password of a database URL. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable database url)";
  }
}

/** createDb opens PostgreSQL (postgres.js) when `url` is set, else PGlite with data in `dataDir`. */
export async function createDb(opts: DbOptions): Promise<DbHandle> {
  if (opts.url) {
    const sql = postgres(opts.url, { max: opts.maxConnections ?? 10, onnotice: () => {} });
    const db = drizzlePostgres(sql, { schema, casing: "snake_case" });
    return {
      db: db as unknown as Database,
      kind: "postgres",
      where: redactUrl(opts.url),
      migrate: () => migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER }),
      close: () => sql.end({ timeout: 5 }),
    };
  }
  const dataDir = opts.dataDir ?? ".data/manager/pglite";
  // PGlite creates its folder non-recursively and only fails at the first query.
  mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  const db = drizzlePglite(client, { schema, casing: "snake_case" });
  return {
    db: db as unknown as Database,
    kind: "pglite",
    where: `pglite:${dataDir}`,
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
  };
}
