// Used only in mutation runs (stryker.shared.mjs sets PHYSML_MUTATION_RUN). Stryker switches a
// mutant on through `globalThis.__stryker__.activeMutant`, which a worker thread does not share:
// a worker would run the unmutated code. The instrumented code falls back to the environment
// variable __STRYKER_ACTIVE_MUTANT__ when the global is unset, and a worker copies the
// environment when it is created, so copying the active mutant there before each test carries
// it into the workers that test starts (a worker pool started by an earlier test keeps the
// mutant it was started with).
import { beforeEach } from "vitest";

const ENV = "__STRYKER_ACTIVE_MUTANT__";

beforeEach(() => {
  const active = (globalThis as { __stryker__?: { activeMutant?: unknown } }).__stryker__?.activeMutant;
  if (active === undefined) delete process.env[ENV];
  else process.env[ENV] = String(active);
});
