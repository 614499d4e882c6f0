// Shared mutation-testing settings (`pnpm mutation` in a package; not part of CI). Stryker plants
// one bug at a time in the files a package lists and runs the tests that cover it.
// `pnpm mutation --incremental` re-tests only the mutants whose code or tests changed since the
// last run (state in the package's reports/stryker-incremental.json).
// A whole-package run re-runs every test for each mutant in code that runs at import time, which
// takes hours for a large package. `STRYKER_TESTS=src/nn/init.test.ts,src/nn/layers.test.ts`
// runs only those test files (vitest.shared.ts reads the variable) and `STRYKER_NAME=nn` keeps
// that run's reports apart; a mutant another test file would kill then counts as surviving, so
// such scores are lower bounds.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** Stryker options for one package, mutating the given globs (tests excluded). */
export function strykerConfig(mutate) {
  // The test-runner processes inherit this: vitest.shared.ts then adds the reporter that counts a
  // test file which fails to load as a failed test (scripts/load-failure-reporter.ts).
  process.env.PHYSML_MUTATION_RUN = "1";
  const suffix = process.env.STRYKER_NAME ? `-${process.env.STRYKER_NAME}` : "";
  return {
    // pnpm keeps plugins out of Stryker's own node_modules: hand it the runner by path.
    plugins: [require.resolve("@stryker-mutator/vitest-runner")],
    testRunner: "vitest",
    vitest: { configFile: "vitest.config.ts", ...(process.env.STRYKER_TESTS ? { related: false } : {}) },
    mutate: [...mutate, "!src/**/*.test.ts"],
    coverageAnalysis: "perTest",
    reporters: ["clear-text", "progress", "json"],
    jsonReporter: { fileName: `reports/mutation${suffix}.json` },
    incrementalFile: `reports/stryker-incremental${suffix}.json`,
    concurrency: 2,
    // The vitest configs import ../../vitest.shared.ts, which a sandbox copy of one package
    // cannot see: mutate in place (Stryker restores every file afterwards; don't edit meanwhile).
    inPlace: true,
    tempDirName: ".stryker-tmp",
    thresholds: { high: 90, low: 80, break: null },
  };
}
