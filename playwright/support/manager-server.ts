/**
 * Playwright's web server: a real manager on a fresh PostgreSQL database (dropped on exit), with a
 * known root password. Builds the console first if it has never been built.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

import { createLogger } from "@df/logger";
import { createTestPostgres } from "@df/db/testing";

import { loadManagerConfig } from "../../apps/console/src/server/config";
import { createManager } from "../../apps/console/src/server/manager";
import { E2E } from "./constants";

if (!existsSync("apps/console/.next/BUILD_ID")) {
  const r = spawnSync("pnpm", ["--filter", "@df/console", "build"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(1);
}

const pg = await createTestPostgres("df_e2e");
const config = loadManagerConfig([`--http.port=${E2E.httpPort}`, `--grpc.port=${E2E.grpcPort}`], {
  DATABASE_URL: pg.url,
  DRAGONFLY_INITIAL_ROOT_PASSWORD: E2E.rootPassword,
});
const manager = createManager(config, createLogger("manager-e2e"));
await manager.serve();

const stop = async () => {
  await manager.stop();
  await pg.drop();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
