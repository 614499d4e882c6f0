// The loss and the evaluation against the known Lax pairs: the harmonic oscillator's
// L = [[p, q], [q, −p]], M = ½[[0, 1], [−1, 0]] and Flaschka's pair of the periodic Toda lattice.
import { mul, reshape, stack, type Tensor, tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { col, flaschka3, hoPair, matrix } from "../../test/known-lax-pairs.js";
import type { HamiltonianSystem } from "../data/hamiltonian.js";
import { samplePhaseSpace } from "../data/sampling.js";
import { harmonicOscillator, toda } from "../data/systems.js";
import { fitFormula, monomials } from "../eval/dictionary.js";
import { conservedQuantities, laxResidual } from "../eval/lax-metrics.js";
import { traceIndependence } from "../eval/trace-independence.js";
import { validateLax } from "./learn.js";
import { laxLossOf, proportionalityLoss, spectrumLoss } from "./loss.js";
import { laxBatch } from "./train.js";

const W = { lax: 1, l: 0, lm: 0, mc: 1, spectrum: 1 };

describe("the loss at the known pairs", () => {
  it("𝓛_Lax vanishes for the oscillator and Flaschka's Toda pair, and not for a wrong M", () => {
    const ho = laxBatch(samplePhaseSpace(harmonicOscillator(1), 64, 3));
    const t = laxBatch(samplePhaseSpace(toda(3), 64, 3));
    expect(laxLossOf(hoPair.L, hoPair.M, ho.x, ho.xdot, W).lax.item()).toBeLessThan(1e-28);
    expect(laxLossOf(flaschka3.L, flaschka3.M, t.x, t.xdot, W).lax.item()).toBeLessThan(1e-28);
    const wrongM = (x: Tensor) => mul(hoPair.M(x), 1.1);
    // [L, 1.1 M] = 1.1 L̇, so the relative residual is exactly 0.1² = 0.01
    expect(laxLossOf(hoPair.L, wrongM, ho.x, ho.xdot, W).lax.item()).toBeCloseTo(0.01, 12);
  });
  it("𝓛_L vanishes where every entry of L̇ is proportional to one component of ẋ (oscillator)", () => {
    const ho = laxBatch(samplePhaseSpace(harmonicOscillator(1), 64, 4));
    const [, Ldot] = [0, hoPair.L(ho.xdot)]; // L is linear, so L̇ = L(ẋ)
    expect(proportionalityLoss(Ldot, ho.xdot).item()).toBeLessThan(1e-14);
    // a mixture q̇ + ṗ in one entry is proportional to no single component
    const mixed = reshape(stack([col(ho.xdot, 0).add(col(ho.xdot, 1))], 1), [64, 1, 1]);
    expect(proportionalityLoss(mixed, ho.xdot).item()).toBeGreaterThan(0.3);
  });
  it("the spectrum term is 0 for the oscillator pair (tr L² = 2(p² + q²) varies) and > 0 for a constant spectrum", () => {
    const x = tensor(samplePhaseSpace(harmonicOscillator(1), 64, 5).x, [64, 2]);
    expect(spectrumLoss(hoPair.L(x)).item()).toBe(0);
    // a rotation of diag(1, −1) by an angle depending on x: eigenvalues ±1 everywhere
    const th = col(x, 0);
    const [c, s] = [th.cos(), th.sin()];
    const rot = matrix([
      [c.square().sub(s.square()), c.mul(s).mul(2)],
      [c.mul(s).mul(2), s.square().sub(c.square())],
    ]);
    expect(spectrumLoss(rot).item()).toBeGreaterThan(0.09);
  });
});

describe("evaluation of a pair", () => {
  it("tr Lᵏ of Flaschka's pair is conserved along held-out trajectories and tr L² = H/2 (R² = 1)", () => {
    const r = conservedQuantities(flaschka3, toda(3), { trajectories: 3, time: 2, h: 0.02, seed: 7, box: 1 });
    // what remains is Yoshida's O(h⁴) error at h = 0.02 (observed ≤ 5e-6 against phase space)
    for (const v of r.variation.slice(1)) expect(v).toBeLessThan(1e-5);
    for (const v of r.variationVsPhaseSpace) expect(v).toBeLessThan(2e-5);
    expect(r.trL2VsH).toBeGreaterThan(1 - 1e-12);
  });
  it("a trace that vanishes identically (tr L of Flaschka's pair at total momentum 0, of the oscillator's traceless L) counts as conserved, so the exact pairs pass the targets", () => {
    const targets = { residual: 1e-2, variation: 1e-3, trL2VsH: 0.999 };
    const opts = { trajectories: 3, time: 2, h: 0.02, seed: 7, box: 1, restFrame: true };
    const todaRest = conservedQuantities(flaschka3, toda(3), opts);
    // (max − min)/|mean| alone is rounding over rounding here: O(1) or worse
    expect(todaRest.variation[0]).toBeLessThan(1e-8);
    const states = (sys: HamiltonianSystem, rest: boolean) => {
      const s = samplePhaseSpace(sys, 64, 5, 1, rest);
      return tensor(s.x, [s.count, s.dim]);
    };
    const todaChecks = {
      laxResidual: 0,
      conserved: todaRest,
      traceIndependence: traceIndependence(flaschka3.L, states(toda(3), true)),
    };
    expect(validateLax(todaChecks, { ...targets, independentTraces: 2 })).toEqual({
      passed: true,
      failures: [],
    });
    const ho = conservedQuantities(hoPair, harmonicOscillator(1), { ...opts, restFrame: false });
    expect(ho.variation.every(Number.isFinite)).toBe(true);
    expect(ho.variation[0]).toBeLessThan(1e-8);
    const hoChecks = {
      laxResidual: 0,
      conserved: ho,
      traceIndependence: traceIndependence(hoPair.L, states(harmonicOscillator(1), false)),
    };
    expect(validateLax(hoChecks, { ...targets, independentTraces: 1 }).passed).toBe(true);
  });
  it("the held-out Lax residual of the oscillator pair is 0 to rounding", () => {
    expect(laxResidual(hoPair, samplePhaseSpace(harmonicOscillator(1), 32, 9))).toBeLessThan(1e-14);
  });
  it("the dictionary readout recovers L₁₂ = q and a Flaschka entry ½e^{(q₁−q₂)/2}", () => {
    const s = samplePhaseSpace(toda(3), 200, 11);
    const Lx = flaschka3.L(tensor(s.x, [200, 6])).toFloat64Array();
    const names = ["q1", "q2", "q3", "p1", "p2", "p3"];
    const dict = [
      ...monomials(names, 1),
      { name: "e", value: (x: ArrayLike<number>) => Math.exp((x[0] - x[1]) / 2) },
    ];
    const f01 = fitFormula(
      dict,
      s.x,
      6,
      Array.from({ length: 200 }, (_, r) => Lx[r * 9 + 1]),
    );
    expect(f01.r2).toBeGreaterThan(1 - 1e-10);
    expect(f01.terms[0].name).toBe("e");
    expect(f01.terms[0].coef).toBeCloseTo(0.5, 8);
    const f00 = fitFormula(
      dict,
      s.x,
      6,
      Array.from({ length: 200 }, (_, r) => Lx[r * 9]),
    );
    expect(f00.formula).toBe("−0.500·p1");
  });
});
