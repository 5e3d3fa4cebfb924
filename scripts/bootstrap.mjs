#!/usr/bin/env node
// Entry point of `npm start` / `npm test` (and `pnpm start` / `pnpm test`): on a machine with only
// Node 20 and npm it installs the pinned pnpm and the dependencies, then starts the local cluster
// or runs every test. Plain Node, no dependencies, so it runs before anything is installed.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { clearInterval, setInterval } from "node:timers";

const PNPM_VERSION = "12.4.2";
const mode = process.argv[2];
const rest = process.argv.slice(3);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

/**
 * runToEnd runs the long-lived step (the local cluster, the tests) and exits with its code. A
 * SIGINT, SIGTERM or SIGHUP sent to this process alone (`kill <pid>`, a service manager) is passed
 * on, and so is the exit of npm above it, so the components stop cleanly instead of being left
 * running; Ctrl-C reaches both anyway.
 */
function runToEnd(cmd, args) {
  const child = spawn(cmd, args, { stdio: "inherit" });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
  watchAncestors(() => child.kill("SIGTERM"));
  child.once("error", (err) => {
    console.error(`bootstrap: cannot run ${cmd}: ${err.message}`);
    process.exit(1);
  });
  child.once("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/**
 * watchAncestors calls `onGone` once this process's parent or grandparent exits. `npm start`
 * answers a SIGTERM (`kill <npm pid>`, `timeout`) by exiting alone, leaving the shell it ran us
 * through, or us, running with every component: measured with npm 11. The grandparent is read
 * from /proc (Linux); elsewhere only the parent is watched.
 */
function watchAncestors(onGone) {
  const pids = [process.ppid];
  try {
    const stat = readFileSync(`/proc/${process.ppid}/stat`, "utf8");
    const grandparent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (grandparent > 1) pids.push(grandparent);
  } catch {
    // No /proc: the parent alone.
  }
  const timer = setInterval(() => {
    for (const pid of pids) {
      try {
        process.kill(pid, 0);
      } catch (err) {
        if (err.code !== "ESRCH") continue;
        clearInterval(timer);
        onGone();
        return;
      }
    }
  }, 1000);
  timer.unref();
}

function has(cmd, args = ["--version"]) {
  try {
    return execFileSync(cmd, args, { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

function ensurePnpm() {
  if (has("pnpm") === PNPM_VERSION) return;
  console.log(`bootstrap: installing pnpm ${PNPM_VERSION} with npm`);
  if (run("npm", ["install", "-g", `pnpm@${PNPM_VERSION}`]) !== 0) {
    console.error(
      `bootstrap: could not install pnpm ${PNPM_VERSION}; run: npm install -g pnpm@${PNPM_VERSION}`,
    );
    process.exit(1);
  }
}

function ensureDependencies() {
  const marker = "node_modules/.pnpm/lock.yaml";
  const fresh =
    existsSync(marker) && statSync(marker).mtimeMs >= statSync("pnpm-lock.yaml").mtimeMs;
  if (fresh) return;
  console.log("bootstrap: installing dependencies (pnpm install --frozen-lockfile)");
  if (run("pnpm", ["install", "--frozen-lockfile"]) !== 0) process.exit(1);
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** TEST_PACKAGES are the Debian packages the tests drive: a browser, an OCI registry, an OCI client. */
const TEST_PACKAGES = {
  chromium: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  "docker-registry": "/usr/bin/docker-registry",
  skopeo: "/usr/bin/skopeo",
};

function ensureTestPackages() {
  const missing = Object.entries(TEST_PACKAGES)
    .filter(([, bin]) => !existsSync(bin))
    .map(([pkg]) => pkg);
  if (missing.length === 0) return;
  if (!isRoot) {
    console.error(`bootstrap: the tests need: sudo apt-get install -y ${missing.join(" ")}`);
    process.exit(1);
  }
  console.log(`bootstrap: installing Debian packages for the tests: ${missing.join(" ")}`);
  run("apt-get", ["update", "-qq"]);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (run("apt-get", ["install", "-y", "-qq", ...missing], { env }) !== 0) process.exit(1);
}

function ensurePostgres() {
  const up = () => spawnSync("pg_isready", ["-q", "-h", "127.0.0.1", "-p", "5432"]).status === 0;
  if (up()) return;
  console.log("bootstrap: PostgreSQL is not answering on 127.0.0.1:5432; trying to start it");
  const versions = has("ls", ["/etc/postgresql"]);
  for (const v of (versions ?? "").split(/\s+/).filter(Boolean)) {
    run("pg_ctlcluster", ["--skip-systemctl-redirect", v, "main", "start"]);
  }
  for (let i = 0; i < 30 && !up(); i++) spawnSync("sleep", ["1"]);
  if (!up()) {
    console.error(
      "bootstrap: PostgreSQL is still down on 127.0.0.1:5432; the database tests need it",
    );
    process.exit(1);
  }
}

process.env.NEXT_TELEMETRY_DISABLED = "1";
ensurePnpm();
ensureDependencies();
if (mode === "start") {
  runToEnd("pnpm", ["exec", "tsx", "scripts/local-cluster.ts", ...rest]);
} else if (mode === "test") {
  ensureTestPackages();
  ensurePostgres();
  runToEnd("node", ["scripts/run-tests.mjs", ...rest]);
} else if (mode !== undefined) {
  console.error(`bootstrap: unknown mode ${mode}; use start or test`);
  process.exit(2);
}
