// The closed-form gradient and Hessian against finite differences, and the convexity that makes
// the optimum unique (every start reaches the same couplings).
import { defineModel, STANDARD_SQUARE_SHAPES } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { cholesky } from "../src/fit/newton.js";
import { exactSamples, localPatterns, newtonFit, pseudoLikelihoodObjective } from "../src/index.js";

const model = defineModel({
  spin: "ising",
  lattice: { square: [4, 4] },
  terms: (["nn", "nnn", "plaquette"] as const).map((name) => ({
    name,
    coupling: name === "nn" ? 0.4 : 0.1,
    shapes: STANDARD_SQUARE_SHAPES[name],
  })),
});
const spins = exactSamples(model, 2000, 1);
const p = localPatterns(model, { spins, count: 2000, sites: 16 }, 1);
const w = p.counts;

describe("pseudo-likelihood objective", () => {
  it("has the gradient and Hessian of central finite differences", () => {
    const c = [0.31, -0.07, 0.22];
    const f = pseudoLikelihoodObjective(p.D, w, c);
    const h = 1e-5;
    for (let a = 0; a < 3; a++) {
      const up = [...c];
      const dn = [...c];
      up[a] += h;
      dn[a] -= h;
      const fu = pseudoLikelihoodObjective(p.D, w, up);
      const fd = pseudoLikelihoodObjective(p.D, w, dn);
      expect(f.grad[a]).toBeCloseTo((fu.value - fd.value) / (2 * h), 8);
      for (let b = 0; b < 3; b++)
        expect(f.hess[a * 3 + b]).toBeCloseTo((fu.grad[b] - fd.grad[b]) / (2 * h), 7);
    }
  });

  it("is convex (positive definite Hessian everywhere) with one optimum reached from any start", () => {
    const starts = [
      [0, 0, 0],
      [2, -2, 1],
      [-1, 1, -3],
      [0.4, 0.1, 0.1],
    ];
    for (const s of starts) expect(cholesky(pseudoLikelihoodObjective(p.D, w, s).hess, 3)).not.toBeNull();
    const fits = starts.map((s) => newtonFit(p.D, w, s, ["nn", "nnn", "plaquette"]));
    for (const f of fits) {
      expect(f.converged).toBe(true);
      expect(f.gradientNorm).toBeLessThan(1e-10);
      for (let t = 0; t < 3; t++) expect(f.couplings[t]).toBeCloseTo(fits[0].couplings[t], 9);
    }
    // Convexity along a segment: F on the chord lies above F.
    const a = starts[1];
    const b = starts[2];
    const Fa = pseudoLikelihoodObjective(p.D, w, a).value;
    const Fb = pseudoLikelihoodObjective(p.D, w, b).value;
    for (const l of [0.1, 0.3, 0.5, 0.7, 0.9]) {
      const m = a.map((v, k) => (1 - l) * v + l * b[k]);
      expect(pseudoLikelihoodObjective(p.D, w, m).value).toBeLessThanOrEqual((1 - l) * Fa + l * Fb + 1e-15);
    }
  });
});
