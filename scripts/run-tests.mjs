#!/usr/bin/env node
// Runs every test: all packages' vitest suites, then the Playwright suite in Debian chromium,
// and ends with one summary line `N passed, N failed`. Exit 0 only when nothing failed.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";

rmSync(".test-results", { recursive: true, force: true });
mkdirSync(".test-results", { recursive: true });

const run = (args, env = {}) =>
  spawnSync("pnpm", ["exec", ...args], { stdio: "inherit", env: { ...process.env, ...env } })
    .status ?? 1;

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

// The manager serves the built console; the lifecycle and browser tests need the build.
const build = spawnSync("pnpm", ["--filter", "@df/console", "build"], { stdio: "inherit" }).status;
if (build !== 0) {
  console.log("console build failed\n0 passed, 1 failed");
  process.exit(1);
}

const vitestExit = run(["vitest", "run"]);
const vitest = readJson(".test-results/vitest.json") ?? { passed: 0, failed: 1, skipped: 0 };
if (vitestExit !== 0 && vitest.failed === 0) vitest.failed = 1;

const pwExit = run(["playwright", "test", "-c", "playwright/playwright.config.ts"], {
  PLAYWRIGHT_JSON_OUTPUT_FILE: `${process.cwd()}/.test-results/playwright.json`,
});
const report = readJson(".test-results/playwright.json");
const stats = report?.stats ?? { expected: 0, unexpected: 1, flaky: 0, skipped: 0 };
const playwright = {
  passed: stats.expected + stats.flaky,
  failed: stats.unexpected,
  skipped: stats.skipped,
};
if (pwExit !== 0 && playwright.failed === 0) playwright.failed = 1;

const passed = vitest.passed + playwright.passed;
const failed = vitest.failed + playwright.failed;
const skipped = vitest.skipped + playwright.skipped;
console.log(
  `\nvitest ${vitest.passed}/${vitest.failed}, playwright ${playwright.passed}/${playwright.failed} (passed/failed)`,
);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed === 0 ? 0 : 1);
