import { createTestPostgres } from "@df/db/testing";
import { noopLogger } from "@df/logger";

import { ManagerConfigSchema, type ManagerConfig } from "../../src/server/config";
import { createManager } from "../../src/server/manager";
import type { ManagerServices } from "../../src/server/services";

/** ROOT_PASSWORD is the root password of every test manager. */
export const ROOT_PASSWORD = "root-pass-123";

/** TestManager is an in-process manager on a throwaway PostgreSQL database, without pages. */
export interface TestManager {
  /** http is the base URL, e.g. http://127.0.0.1:12345. */
  http: string;
  /** grpc is host:port of the gRPC server. */
  grpc: string;
  services: ManagerServices;
  stop(): Promise<void>;
}

/** testConfig is a manager config on ephemeral ports for `databaseUrl` (PGlite in `dataDir` when empty). */
export function testConfig(
  databaseUrl: string,
  dataDir = ".data/test/pglite",
  jobs: Record<string, unknown> = {},
): ManagerConfig {
  const parsed = ManagerConfigSchema.parse({ database: { url: databaseUrl, dataDir }, jobs });
  return {
    ...parsed,
    http: { listenIp: "127.0.0.1", port: 0 },
    grpc: { listenIp: "127.0.0.1", port: 0 },
    initialRootPassword: ROOT_PASSWORD,
    personalAccessToken: undefined,
  };
}

/** startTestManager migrates and seeds a fresh database and serves REST, tRPC and gRPC; `jobs` tunes job dispatch. */
export async function startTestManager(jobs: Record<string, unknown> = {}): Promise<TestManager> {
  const pg = await createTestPostgres("df_console");
  const manager = createManager(testConfig(pg.url, undefined, jobs), noopLogger, { pages: false });
  try {
    const ports = await manager.serve();
    return {
      http: `http://127.0.0.1:${ports.httpPort}`,
      grpc: `127.0.0.1:${ports.grpcPort}`,
      services: manager.services(),
      async stop() {
        await manager.stop();
        await pg.drop();
      },
    };
  } catch (err) {
    await manager.stop().catch(() => undefined);
    await pg.drop();
    throw err;
  }
}
