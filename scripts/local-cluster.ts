/**
 * `pnpm start`: the whole system on localhost. Builds the console if needed, then starts the
 * manager (HTTP 8080, gRPC 65003, PGlite in .data/local/manager unless DATABASE_URL is set), one
 * scheduler (8002), one seed peer and one peer dfdaemon, waits until each is healthy, prints where
 * everything listens and how to sign in, and stops everything on Ctrl-C.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

import { grpcServing, httpOk, startProcess, waitFor, type ManagedProcess } from "@df/testkit";

const CONSOLE = "apps/console";

/** newestMtime returns the newest modification time under a folder. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function buildConsoleIfStale(): void {
  const buildId = join(CONSOLE, ".next/BUILD_ID");
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestMtime(join(CONSOLE, "src"))) return;
  console.log("building the console (next build)…");
  const r = spawnSync("pnpm", ["--filter", "@df/console", "build"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const node = (name: string, file: string, args: string[] = [], env: Record<string, string> = {}) =>
  startProcess({
    name,
    command: process.execPath,
    args: ["--import", "tsx", file, ...args],
    env,
    echo: true,
  });

/** buildDfgetIfStale bundles dfget so `pnpm dfget` starts fast. */
function buildDfgetIfStale(): void {
  const bundle = "apps/dfdaemon/dist/dfget.mjs";
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestMtime("apps/dfdaemon/src")) return;
  const r = spawnSync("pnpm", ["--filter", "@df/dfdaemon", "build"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

async function main(): Promise<void> {
  buildConsoleIfStale();
  buildDfgetIfStale();
  const started = Date.now();
  const procs: ManagedProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping all components…");
    await Promise.all(procs.reverse().map((p) => p.stop()));
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  const manager = node("manager", `${CONSOLE}/src/server/main.ts`, [], {
    DF_MANAGER_DATABASE_DATA_DIR: ".data/local/manager/pglite",
  });
  procs.push(manager);
  await waitFor(
    "manager http://127.0.0.1:8080/healthy",
    () => httpOk("http://127.0.0.1:8080/healthy"),
    120_000,
  );
  procs.push(
    node("scheduler", "apps/scheduler/src/bin/scheduler.ts", [
      "--config",
      "deploy/local/scheduler.yaml",
    ]),
  );
  procs.push(
    node("seed-peer", "apps/dfdaemon/src/bin/dfdaemon.ts", [
      "--config",
      "deploy/local/seed-peer.yaml",
    ]),
  );
  procs.push(
    node("peer", "apps/dfdaemon/src/bin/dfdaemon.ts", ["--config", "deploy/local/peer.yaml"]),
  );
  for (const p of procs) {
    void p.exited.then((code) => {
      if (!stopping) {
        console.error(`${p.name} exited (${code}); stopping the cluster`);
        void stopAll(1);
      }
    });
  }
  await Promise.all([
    waitFor("manager gRPC 127.0.0.1:65003", () => grpcServing("127.0.0.1:65003")),
    waitFor("scheduler gRPC 127.0.0.1:8002", () => grpcServing("127.0.0.1:8002")),
    waitFor("seed peer health", () => httpOk("http://127.0.0.1:4003/healthy")),
    waitFor("peer health", () => httpOk("http://127.0.0.1:4013/healthy")),
  ]);
  const password = /password=(\S+)/.exec(manager.output())?.[1];
  const signIn = password
    ? `user root, password ${password} (generated at first start; shown only now)`
    : process.env.DRAGONFLY_INITIAL_ROOT_PASSWORD
      ? "user root, password from DRAGONFLY_INITIAL_ROOT_PASSWORD"
      : "user root, with the password printed at first start (reset: delete .data/local/manager)";
  console.log(`
Dragonfly local cluster is up in ${((Date.now() - started) / 1000).toFixed(1)} s
  console + REST   http://127.0.0.1:8080        (GET /healthy)
  manager gRPC     127.0.0.1:65003
  scheduler gRPC   127.0.0.1:8002
  seed peer        upload 4000, data 4005, proxy 4001, health 4003, socket .data/local/seed-peer/dfdaemon.sock
  peer             upload 4010, data 4015, proxy 4011, health 4013, socket .data/local/peer/dfdaemon.sock
  database         ${process.env.DATABASE_URL ? "PostgreSQL from DATABASE_URL" : "PGlite in .data/local/manager/pglite"}
Sign in at http://127.0.0.1:8080 as ${signIn}
Press Ctrl-C to stop everything.`);
}

main().catch((err: unknown) => {
  console.error(`local cluster: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
