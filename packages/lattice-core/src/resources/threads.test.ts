import { availableParallelism } from "node:os";
import { expect, test } from "vitest";
import { EnvironmentVariableError } from "../errors.js";
import { refusal, refusalMessage } from "../testing/refusal.js";
import { defaultThreads } from "./threads.js";

test("the thread budget: PHYSML_THREADS when set, else the cores available", () => {
  expect(defaultThreads({})).toBe(availableParallelism());
  expect(defaultThreads({ PHYSML_THREADS: "" })).toBe(availableParallelism());
  expect(defaultThreads({ PHYSML_THREADS: " " })).toBe(availableParallelism());
  expect(defaultThreads({ PHYSML_THREADS: "1" })).toBe(1);
  expect(defaultThreads({ PHYSML_THREADS: "7" })).toBe(7);
  expect(defaultThreads({ PHYSML_THREADS: "256" })).toBe(256);
});

test("a PHYSML_THREADS that is not an integer in [1, 256] is refused, naming the variable", () => {
  for (const bad of ["0", "-2", "1.5", "257", "two", "1e400"]) {
    expect(refusalMessage(() => defaultThreads({ PHYSML_THREADS: bad }))).toBe(
      `PHYSML_THREADS (environment variable): expected an integer in [1, 256], got ${bad}`,
    );
  }
  const e = refusal(() => defaultThreads({ PHYSML_THREADS: "0" }));
  expect(e).toBeInstanceOf(EnvironmentVariableError);
  expect((e as EnvironmentVariableError).variable).toBe("PHYSML_THREADS");
  expect(e.received).toBe("0");
});
