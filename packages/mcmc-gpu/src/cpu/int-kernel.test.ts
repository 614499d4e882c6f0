// The int kernel's stencil → table map against acceptance.ts's thresholdIndex (built from
// lattice-core's ΔE-table layout of the standard model), for every entry of a chain's table.
import { expect, test } from "vitest";
import { THRESHOLD_CENTRE, THRESHOLDS_PER_CHAIN, thresholdIndex } from "../acceptance.js";
import { tableOffset } from "./int-kernel.js";

test("tableOffset + THRESHOLD_CENTRE = thresholdIndex on all 250 entries", () => {
  const sums = [-4, -2, 0, 2, 4];
  const seen = new Set<number>();
  for (const s of [-1, 1])
    for (const a of sums)
      for (const q of sums)
        for (const b of sums) {
          const index = thresholdIndex(s, a, b, q);
          expect(tableOffset(s, a, q, b) + THRESHOLD_CENTRE).toBe(index);
          seen.add(index);
        }
  expect(seen.size).toBe(THRESHOLDS_PER_CHAIN);
});
