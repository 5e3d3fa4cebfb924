import { randomBytes } from "node:crypto";

import postgres from "postgres";

/** TEST_DATABASE_URL is the PostgreSQL server tests use; CI starts it, tests fail if it is down. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** TestPostgres is a throwaway database on the real server, dropped by `drop()`. */
export interface TestPostgres {
  url: string;
  drop(): Promise<void>;
}

/** createTestPostgres creates a uniquely named database on the test server. */
export async function createTestPostgres(prefix = "df_test"): Promise<TestPostgres> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const sql = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await sql.end({ timeout: 5 });
      }
    },
  };
}
