import { STANDARD_SHAPES, squareLattice } from "@physml/lattice-core";
import { expect, test } from "vitest";

test("workspace packages resolve from source", () => {
  expect(squareLattice(4).nLinks).toBe(32);
  expect(STANDARD_SHAPES).toHaveLength(13);
});
