import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { sphere } from "../../test/level-sets.js";
import { findGeneratorsByPlanes } from "../generators/planes.js";
import { findGeneratorsByTangents } from "../generators/tangent.js";
import { checkClassSizes, generatorMethod, minPointsPerClass } from "./method.js";

/** How many of `seeds` searches on a sphere of m points in R^dim find the algebra. */
function planeSuccesses(dim: number, m: number, seeds: number): number {
  const method = generatorMethod("planes", dim);
  let ok = 0;
  for (let s = 1; s <= seeds; s++) {
    try {
      findGeneratorsByPlanes(sphere(dim, m, 1, 10 * s), dim, {
        ...(method.kind === "planes" ? method.options : {}),
        seed: s,
      });
      ok++;
    } catch (e) {
      if (!(e instanceof PhysmlInputError)) throw e;
    }
  }
  return ok;
}

describe("minPointsPerClass: the points per class a generator search needs, before any work", () => {
  it("the planes estimate separates the class sizes where the search fails from those where it works (R³ and R⁴)", () => {
    for (const dim of [3, 4]) {
      const min = minPointsPerClass(generatorMethod("planes", dim), dim);
      // the search itself on spheres: at half the estimate it never finds 2 planes, at 3× always
      expect(planeSuccesses(dim, Math.floor(min / 2), 4)).toBe(0);
      expect(planeSuccesses(dim, 3 * min, 4)).toBe(4);
    }
  });

  it("the tangent method's minimum is its exact rule: a class of more than 6·dim + 1 points", () => {
    for (const dim of [3, 4]) {
      const min = minPointsPerClass(generatorMethod("tangent", dim), dim);
      expect(min).toBe(6 * dim + 2);
      const usable = (m: number) => [sphere(dim, m, 1, 3)].filter((c) => c.length / dim > 6 * dim + 1);
      expect(usable(min)).toHaveLength(1);
      expect(usable(min - 1)).toHaveLength(0);
      expect(() => findGeneratorsByTangents(usable(min), dim)).not.toThrow();
    }
  });

  it("checkClassSizes refuses labelled points whose largest class is below the minimum, naming the field", () => {
    const dim = 2;
    const min = minPointsPerClass(generatorMethod("tangent", dim), dim);
    const points = (perClass: number) => ({
      x: sphere(dim, 2 * perClass, 1, 5),
      labels: Int32Array.from({ length: 2 * perClass }, (_, i) => i % 2),
      n: 2 * perClass,
      dim,
      classes: 2,
    });
    expect(() => checkClassSizes(points(min - 1), generatorMethod("tangent", dim), "group")).toThrow(
      new RegExp(`^group: expected points with a class of at least ${min} points for the tangent method`),
    );
    expect(() => checkClassSizes(points(min), generatorMethod("tangent", dim), "group")).not.toThrow();
  });
});
