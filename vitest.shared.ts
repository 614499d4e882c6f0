// Shared vitest settings for every workspace project: tests run on the TypeScript sources of
// sibling packages through the `@physml/source` export condition, so no build is needed first.
import { defineProject, type UserWorkspaceConfig } from "vitest/config";

const conditions = ["@physml/source", "module", "node", "import", "default"];

export function physmlProject(name: string, extra: UserWorkspaceConfig["test"] = {}): UserWorkspaceConfig {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ["@physml/source"] } },
    test: {
      name,
      // A scoped mutation run (stryker.shared.mjs) names its test files in STRYKER_TESTS.
      include: process.env.STRYKER_TESTS?.split(",") ?? ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      ...(process.env.PHYSML_MUTATION_RUN
        ? {
            reporters: ["default", new URL("./scripts/load-failure-reporter.ts", import.meta.url).pathname],
            // Carries the active mutant into worker threads (scripts/mutant-env-setup.ts).
            setupFiles: [new URL("./scripts/mutant-env-setup.ts", import.meta.url).pathname],
          }
        : {}),
      ...extra,
    },
  });
}
