// Shared mutation-testing settings (`pnpm mutation` in a package; not part of CI). Stryker plants
// one bug at a time in the files a package lists and runs the tests that cover it.
// `pnpm mutation --incremental` re-tests only the mutants whose code or tests changed since the
// last run (state in the package's reports/stryker-incremental.json).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** Stryker options for one package, mutating the given globs (tests excluded). */
export function strykerConfig(mutate) {
  return {
    // pnpm keeps plugins out of Stryker's own node_modules: hand it the runner by path.
    plugins: [require.resolve("@stryker-mutator/vitest-runner")],
    testRunner: "vitest",
    vitest: { configFile: "vitest.config.ts" },
    mutate: [...mutate, "!src/**/*.test.ts"],
    coverageAnalysis: "perTest",
    reporters: ["clear-text", "progress", "json"],
    jsonReporter: { fileName: "reports/mutation.json" },
    incrementalFile: "reports/stryker-incremental.json",
    concurrency: 2,
    // The vitest configs import ../../vitest.shared.ts, which a sandbox copy of one package
    // cannot see: mutate in place (Stryker restores every file afterwards; don't edit meanwhile).
    inPlace: true,
    tempDirName: ".stryker-tmp",
    thresholds: { high: 90, low: 80, break: null },
  };
}
