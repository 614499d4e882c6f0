import { adam, grad, type LinearParams, tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { vectorField } from "../data/hamiltonian.js";
import { twoBody } from "../data/systems.js";
import { hamiltonianField } from "./canonical.js";
import { hnnModel, scnnModel } from "./models.js";
import { predictionErrors, rollout } from "./rollout.js";
import { twoBodyOrbits, twoBodyTrainingSet } from "./two-body-data.js";

describe("Hamiltonian networks' building blocks", () => {
  it("J∇H of the true two-body H equals the integrators' vector field", () => {
    const sys = twoBody();
    const set = twoBodyTrainingSet(2, 1, 1);
    const x = tensor(set.x, [set.n, 8]);
    const f = hamiltonianField((z) => {
      const n = z.shape[0];
      const q = z.slice([0, 0], [n, 4]);
      const p = z.slice([0, 4], [n, 8]);
      return sys.hamiltonian(q, p);
    }, x).toFloat64Array();
    const ref = vectorField(sys, set.x, set.n);
    for (let i = 0; i < f.length; i++) expect(f[i]).toBeCloseTo(ref[i], 12);
  });
  it("RK4 with the true field reproduces held-out orbits (state MSE < 1e-8, energy MSE < 1e-10)", () => {
    const sys = twoBody();
    const truth = twoBodyOrbits(2, 5, 3, 10);
    const pred = rollout((z) => tensor(vectorField(sys, z.toFloat64Array(), z.shape[0]), z.shape), truth, 4);
    const e = predictionErrors(sys, truth, pred);
    expect(e.stateMse).toBeLessThan(1e-8);
    expect(e.energyMse).toBeLessThan(1e-10);
  });
  it("the Poisson-bracket loss vanishes for a canonical T and not for a scaling", () => {
    const m = scnnModel({ dim: 4, hidden: [4], cyclic: 1, poissonWeight: 1, seed: 0 });
    const p = m.init();
    const zero = (ls: LinearParams[]) => ls.map((l) => ({ w: l.w.mul(0), b: l.b.mul(0) }));
    const x = tensor([
      [0.1, 0.2, 0.3, 0.4],
      [-0.5, 0.1, 0.2, 0.0],
    ]);
    // T = identity is canonical
    expect(m.poisson({ T: zero(p.T), H: p.H }, x).item()).toBe(0);
    // last layer 0.1·x (with a linear hidden layer of width 4 that copies x) gives T = 1.1·x: {Q, P} = 1.21
    const lin = [
      {
        w: tensor([
          [1, 0, 0, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 0],
          [0, 0, 0, 1],
        ]).mul(1e-3),
        b: p.T[0].b.mul(0),
      },
      {
        w: tensor([
          [1, 0, 0, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 0],
          [0, 0, 0, 1],
        ]).mul(100),
        b: p.T[1].b.mul(0),
      },
    ];
    const v = m.poisson({ T: lin, H: p.H }, x).item();
    // tanh(1e-3 x)·100 ≈ 0.1 x, so J ≈ 1.1·1 and JΩJᵀ − Ω ≈ 0.21 Ω: mean square 0.21²·4/16
    expect(v).toBeCloseTo((0.21 ** 2 * 4) / 16, 3);
  });
});

describe("HNN training (short)", () => {
  it("lowers 𝓛_HNN on two-body data by 5× in 60 Adam steps (observed 6×)", () => {
    const set = twoBodyTrainingSet(4, 2, 2);
    const x = tensor(set.x, [set.n, 8]);
    const v = tensor(set.xdot, [set.n, 8]);
    const m = hnnModel(8, [16], 0);
    const opt = adam({ lr: 1e-2 });
    let p = m.init();
    let s = opt.init(p);
    const first = m.loss(p, x, v).item();
    for (let i = 0; i < 60; i++)
      ({ params: p, state: s } = opt.step(p, grad((q: LinearParams[]) => m.loss(q, x, v))(p), s));
    expect(m.loss(p, x, v).item()).toBeLessThan(first / 5);
  });
});
