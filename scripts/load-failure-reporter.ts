// Used only in mutation runs (stryker.shared.mjs sets PHYSML_MUTATION_RUN). Stryker's vitest
// runner builds a mutant's result from the tests vitest collected, so a mutant that makes a module
// throw while a test file imports it (a primitive registered twice under a mutated name, say)
// leaves that file with no tests and is scored "Survived" although the suite fails
// (stryker-js issue 6150, still open in 9.6.1). This reporter gives each such file one failed
// test carrying the load error, which the runner then counts as a kill.
import type { RunnerTestFile as File, RunnerTestCase as Test } from "vitest";
import type { Reporter, Vitest } from "vitest/node";

/** True when the task tree under `file` holds at least one test. */
function hasTests(tasks: File["tasks"]): boolean {
  return tasks.some((t) => t.type === "test" || (t.type === "suite" && hasTests(t.tasks)));
}

export default class LoadFailureReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(): void {
    for (const file of this.vitest?.state.getFiles() ?? []) {
      if (file.result?.state !== "fail" || hasTests(file.tasks)) continue;
      // The fields vitest's reporters and Stryker's runner read; a test context exists only
      // inside a running worker, and nothing reads it once the run has ended.
      const test = {
        type: "test",
        id: `${file.id}_load`,
        name: "module failed to load",
        fullName: `${file.name} > module failed to load`,
        fullTestName: "module failed to load",
        mode: "run",
        file,
        suite: file,
        meta: {},
        timeout: 0,
        annotations: [],
        artifacts: [],
        result: { state: "fail", errors: file.result.errors },
      } as unknown as Test;
      file.tasks.push(test);
    }
  }
}
