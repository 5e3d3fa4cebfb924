import { writeFileSync, mkdirSync } from "node:fs";

import { defineConfig } from "vitest/config";
import type { Reporter, TestModule } from "vitest/node";

/** summaryReporter prints `N passed, N failed, N skipped` and saves the counts for scripts/test.mjs. */
const summaryReporter: Reporter = {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === "passed") counts.passed++;
        else if (state === "failed") counts.failed++;
        else counts.skipped++;
      }
      if (m.state() === "failed" && [...m.children.allTests()].length === 0) counts.failed++;
    }
    mkdirSync(".test-results", { recursive: true });
    writeFileSync(".test-results/vitest.json", JSON.stringify(counts));
    console.log(
      `vitest: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
    );
  },
};

export default defineConfig({
  test: {
    include: ["apps/*/src/**/*.test.ts", "apps/*/test/**/*.test.ts", "packages/*/src/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/.next/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", summaryReporter],
  },
});
