// A cy train run killed at the end of its first epoch, as the resume tests of src/train/run.ts
// start from: the run directory then holds one epoch's checkpoint and no result.
import { expect } from "vitest";
import { runCyTrain } from "../src/train/run.js";

/**
 * Runs cy train with `input` into `out` (no report) and kills it when its first epoch ends;
 * checks that the kill is what stopped it, after exactly one epoch.
 */
export async function killAfterFirstEpoch(input: unknown, out: string): Promise<void> {
  let seen = 0;
  await expect(
    runCyTrain(input, {
      out,
      report: false,
      hooks: {
        onEpoch: () => {
          seen++;
          throw new Error("killed");
        },
      },
    }),
  ).rejects.toThrow("killed");
  expect(seen).toBe(1);
}
