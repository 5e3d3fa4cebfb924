import { fileURLToPath } from "node:url";

import { startProcess, type ManagedProcess } from "./process";

/** REPO_ROOT is the repository root; app entry points are resolved from it. */
export const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** APP_ENTRY names each app's entry point, relative to the repository root. */
export const APP_ENTRY = {
  manager: "apps/console/src/server/main.ts",
  scheduler: "apps/scheduler/src/bin/scheduler.ts",
  dfdaemon: "apps/dfdaemon/src/bin/dfdaemon.ts",
  dfget: "apps/dfdaemon/src/bin/dfget.ts",
} as const;

/**
 * startApp runs an app as one real Node process (no tsx wrapper process, so a SIGKILL really
 * kills it), with its cwd at the repository root.
 */
export function startApp(
  app: keyof typeof APP_ENTRY,
  args: string[],
  opts: { name?: string; env?: Record<string, string | undefined>; echo?: boolean } = {},
): ManagedProcess {
  return startProcess({
    name: opts.name ?? app,
    command: process.execPath,
    // DF_CPU_PROF_DIR=<dir> writes a V8 CPU profile of each app process there (for benchmarks);
    // DF_CPU_PROF_APPS=scheduler,... limits it to those apps.
    args: [...profileArgs(app), "--import", "tsx", APP_ENTRY[app], ...args],
    cwd: REPO_ROOT,
    env: opts.env,
    echo: opts.echo ?? process.env.DF_TEST_ECHO === "1",
  });
}

function profileArgs(app: string): string[] {
  const dir = process.env.DF_CPU_PROF_DIR;
  const only = process.env.DF_CPU_PROF_APPS?.split(",");
  if (!dir || (only && !only.includes(app))) return [];
  return ["--cpu-prof", `--cpu-prof-dir=${dir}`];
}
