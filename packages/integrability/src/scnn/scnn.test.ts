import { grad, type Tensor, tensor } from "@physml/autodiff";
import type { LinearParams } from "@physml/autodiff/nn";
import { adam } from "@physml/autodiff/optim";
import { checkGrads } from "@physml/autodiff/testing";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { vectorField } from "../data/hamiltonian.js";
import { twoBody } from "../data/systems.js";
import { hamiltonianField } from "./canonical.js";
import { CENTRE_OF_MASS_MAP, symplecticDefect } from "./frame.js";
import { hnnModel, scnnModel } from "./models.js";
import { readMomenta, TWO_BODY_INVARIANTS } from "./momenta.js";
import { predictionErrors, rollout } from "./rollout.js";
import { trainFieldModel } from "./train.js";
import { twoBodyInitialStates, twoBodyOrbits, twoBodyTrainingSet } from "./two-body-data.js";

const twoBodyInitialStatesFor = (count: number) => twoBodyInitialStates(count, 11, BOOST);

const BOOST = { offset: 0.5, velocity: 0.1 };
const invariant = (name: string, z: ArrayLike<number>) => {
  const t = TWO_BODY_INVARIANTS.find((d) => d.name === name);
  if (!t) throw new Error(name);
  return t.value(z);
};

/**
 * SCNN parameters whose T is, to O(1e-8) relative, the linear map x ↦ A x (A row-major 8×8):
 * T(x) = x + 1e4·tanh(1e-4·x)·(Aᵀ − 1), one hidden layer of width 8.
 */
function linearT(A: readonly (readonly number[])[], b: LinearParams[]): LinearParams[] {
  const d = A.length;
  const eye = (i: number, j: number) => (i === j ? 1 : 0);
  const w1 = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => 1e-4 * eye(i, j)));
  const w2 = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => 1e4 * (A[j][i] - eye(i, j))),
  );
  return [
    { w: tensor(w1), b: b[0].b.mul(0) },
    { w: tensor(w2), b: b[1].b.mul(0) },
  ];
}

const COM_RELATIVE = CENTRE_OF_MASS_MAP;

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

describe("boosted two-body data and the readout of conserved momenta", () => {
  it("true H, P_x, P_y and L stay constant along RK4 rollouts of boosted orbits, and the readout says so", () => {
    const sys = twoBody();
    // 8 orbits: the five invariants are constant on each, so fewer orbits make their fit degenerate
    const truth = twoBodyOrbits(8, 7, 3, 10, BOOST);
    const pred = rollout((z) => tensor(vectorField(sys, z.toFloat64Array(), z.shape[0]), z.shape), truth, 4);
    const T = truth.times.length;
    const count = 8 * T;
    const P = new Float64Array(count * 3);
    for (let r = 0; r < count; r++) {
      const z = pred.subarray(r * 8, r * 8 + 8);
      P.set([invariant("Px", z), invariant("Py", z), invariant("L", z)], r * 3);
      // RK4 (h = 0.025) conserves the linear invariants exactly, L and H to its truncation error
      const z0 = pred.subarray(Math.floor(r / T) * T * 8, Math.floor(r / T) * T * 8 + 8);
      expect(Math.abs(invariant("H", z) - invariant("H", z0))).toBeLessThan(1e-6);
      expect(Math.abs(invariant("Px", z) - invariant("Px", z0))).toBeLessThan(1e-12);
    }
    const m = readMomenta(truth.states, 8, T, P, 3);
    for (const v of m.variation) expect(v).toBeLessThan(1e-5);
    expect(m.spanR2.Px).toBeGreaterThan(1 - 1e-9);
    expect(m.spanR2.L).toBeGreaterThan(1 - 1e-9);
    // the fit of P_3 = L on {1, P_x, P_y, L, H} is L itself (to 1e-4: P is read on the RK4
    // states, the dictionary on the reference orbits, which differ by RK4's ~1e-6 error)
    const coefL = m.onInvariants[2].terms.find((t) => t.name === "L")?.coef;
    expect(coefL).toBeCloseTo(1, 4);
    // a coordinate is not conserved: x1 varies along every orbit by a large part of its spread
    const x1 = Float64Array.from({ length: count }, (_, r) => truth.states[r * 8]);
    expect(readMomenta(truth.states, 8, T, x1, 1).variation[0]).toBeGreaterThan(0.5);
  });

  it("L beyond the energy: momenta (P_x, P_y, H) span L at R² > 0.99 on near-circular orbits, yet add nothing to it", () => {
    // 64 orbits: the degree-4 polynomials in (P_x, P_y, H) have 35 terms, constant on each orbit
    const truth = twoBodyOrbits(64, 2000, 3, 20, BOOST);
    const T = truth.times.length;
    const count = 64 * T;
    const read = (f: (z: Float64Array) => number[]) => {
      const P = new Float64Array(count * 3);
      for (let r = 0; r < count; r++) P.set(f(truth.states.subarray(r * 8, r * 8 + 8)), r * 3);
      return readMomenta(truth.states, 64, T, P, 3);
    };
    const energy = read((z) => [invariant("Px", z), invariant("Py", z), invariant("H", z)]);
    expect(energy.spanR2.L).toBeGreaterThan(0.99);
    expect(energy.lBeyondEnergy).toBeLessThan(1e-6);
    // a learned-looking mixture with L in it: all of L's remainder is explained
    const mixed = read((z) => [
      invariant("Px", z) + invariant("Py", z),
      2.18 * invariant("Px", z) - 0.446 * invariant("L", z) + 0.3 * invariant("H", z),
      invariant("Py", z) - invariant("H", z),
    ]);
    expect(mixed.lBeyondEnergy).toBeGreaterThan(1 - 1e-6);
  });

  it("L beyond the energy needs conserved momenta: on orbits of both senses, non-conserved ones reach it too", () => {
    const truth = twoBodyOrbits(64, 2000, 3, 20, BOOST, { retrograde: 0.5 });
    const T = truth.times.length;
    const count = 64 * T;
    const P = new Float64Array(count * 4);
    for (let r = 0; r < count; r++) {
      const z = truth.states.subarray(r * 8, r * 8 + 8);
      const [rx, ry, px, py] = [z[0] - z[2], z[1] - z[3], (z[4] - z[6]) / 2, (z[5] - z[7]) / 2];
      // (r_x + p_y)² + (r_y − p_x)² = r² + p² + 2L: L from squares of coordinates that are not conserved
      P.set([invariant("Px", z), invariant("Py", z), rx + py, ry - px], 4 * r);
    }
    const m = readMomenta(truth.states, 64, T, P, 4);
    expect(m.lBeyondEnergy).toBeGreaterThan(0.9);
    // only their variation along the orbits tells them from L
    expect(Math.min(m.meanVariation[2], m.meanVariation[3])).toBeGreaterThan(1);
  });

  it("speeds lie within the spread of circular, and a spread that lets orbits escape is refused", () => {
    const z = twoBodyInitialStates(64, 11, undefined, { speedSpread: 0.3 });
    const k = Array.from({ length: 64 }, (_, b) => {
      const s = z.subarray(8 * b, 8 * b + 8);
      return Math.hypot(s[4], s[5]) / Math.sqrt(1 / (2 * Math.hypot(s[0] - s[2], s[1] - s[3])));
    });
    expect(Math.min(...k)).toBeGreaterThanOrEqual(0.7 - 1e-12);
    expect(Math.max(...k)).toBeLessThanOrEqual(1.3 + 1e-12);
    expect(Math.max(...k) - Math.min(...k)).toBeGreaterThan(0.5);
    expect(() => twoBodyInitialStates(4, 11, undefined, { speedSpread: 0.31 })).toThrow(PhysmlInputError);
  });

  it("a tilt changes L and not H; retrograde orbits flip L's sign; shapes beyond the bounds are refused", () => {
    const at = (shape: object, b: number, name: string) =>
      invariant(name, twoBodyInitialStates(256, 11, BOOST, shape).subarray(8 * b, 8 * b + 8));
    let minRatio = 1;
    let clockwise = 0;
    for (let b = 0; b < 256; b++) {
      const L0 = at({}, b, "L");
      // the same draw: positions and speeds unchanged, so H is, and L = L₀ cos a with |a| ≤ 0.5
      expect(at({ tilt: 0.5 }, b, "H")).toBeCloseTo(at({}, b, "H"), 12);
      const ratio = at({ tilt: 0.5 }, b, "L") / L0;
      expect(ratio).toBeGreaterThanOrEqual(Math.cos(0.5) - 1e-12);
      expect(ratio).toBeLessThanOrEqual(1 + 1e-12);
      minRatio = Math.min(minRatio, ratio);
      expect(at({ retrograde: 0.5 }, b, "H")).toBeCloseTo(at({}, b, "H"), 12);
      const Lr = at({ retrograde: 0.5 }, b, "L");
      expect(Math.abs(Lr)).toBeCloseTo(L0, 12);
      if (Lr < 0) clockwise++;
    }
    expect(minRatio).toBeLessThan(Math.cos(0.45)); // the tilts fill [−0.5, 0.5]
    // 256 draws of probability 1/2: standard deviation 8, so ±40 is 5 of them
    expect(Math.abs(clockwise - 128)).toBeLessThan(40);
    expect(at({ retrograde: 0 }, 0, "L")).toBeGreaterThan(0);
    for (const shape of [{ tilt: 0.61 }, { tilt: -0.1 }, { retrograde: 1.1 }, { speedSpread: -0.1 }])
      expect(() => twoBodyInitialStates(4, 11, undefined, shape)).toThrow(PhysmlInputError);
  });

  it("the boost sets the centre of mass and total momentum of each orbit within the given ranges", () => {
    const z = twoBodyInitialStatesFor(64);
    let spreadP = 0;
    for (let b = 0; b < 64; b++) {
      const s = z.subarray(8 * b, 8 * b + 8);
      const [X, Y] = [(s[0] + s[2]) / 2, (s[1] + s[3]) / 2];
      const [Px, Py] = [s[4] + s[6], s[5] + s[7]];
      expect(Math.max(Math.abs(X), Math.abs(Y))).toBeLessThanOrEqual(BOOST.offset);
      expect(Math.max(Math.abs(Px), Math.abs(Py))).toBeLessThanOrEqual(2 * BOOST.velocity);
      spreadP = Math.max(spreadP, Math.abs(Px));
    }
    expect(spreadP).toBeGreaterThan(BOOST.velocity);
  });
});

describe("SCNN loss terms on a known canonical transform", () => {
  const set = twoBodyTrainingSet(2, 3, 1, BOOST);
  const x = tensor(set.x, [set.n, 8]);
  const v = tensor(set.xdot, [set.n, 8]);
  const params = (cyclic: number) => {
    const m = scnnModel({ dim: 8, hidden: [8], cyclic, poissonWeight: 1, seed: 0 });
    const p = m.init();
    return { m, p: { T: linearT(COM_RELATIVE, p.T), H: p.H } };
  };
  it("centre-of-mass/relative coordinates: Poisson loss 0; P_x, P_y conserved along the true flow", () => {
    const { m, p } = params(2);
    expect(m.poisson(p, x).item()).toBeLessThan(1e-14);
    expect(m.conservation(p, x, v).item()).toBeLessThan(1e-14);
  });
  it("with p_rx as a third cyclic momentum the conservation loss is the mean of ṗ_rx² = (r_x/r³)² over 3", () => {
    const { m, p } = params(3);
    let want = 0;
    for (let b = 0; b < set.n; b++) {
      const z = set.x.subarray(8 * b, 8 * b + 8);
      const r = Math.hypot(z[0] - z[2], z[1] - z[3]);
      want += ((z[0] - z[2]) / r ** 3) ** 2 / (3 * set.n);
    }
    // relative tolerance 1e-6: T is the linear map only up to the O(1e-8) tanh curvature
    expect(Math.abs(m.conservation(p, x, v).item() - want)).toBeLessThan(1e-6 * want);
  });
  it("𝓛_commute: 0 for commuting momenta, 1/6 when two of four are x1 and λ·px1, whatever λ", () => {
    const m = scnnModel({ dim: 8, hidden: [8], cyclic: 4, poissonWeight: 1, seed: 0 });
    const p = m.init();
    expect(m.commutation({ T: linearT(COM_RELATIVE, p.T), H: p.H }, x).item()).toBeLessThan(1e-14);
    // P1 = x1, P2 = λ·px1, P3 = px2, P4 = py2: {P1, P2} = λ, cosine ±1 for the pairs (1, 2) and
    // (2, 1), 0 for the other ten ordered pairs
    for (const lambda of [1, 3]) {
      const A: number[][] = COM_RELATIVE.map((_, i) => COM_RELATIVE.map((_, j) => (i === j ? 1 : 0)));
      A[4] = [1, 0, 0, 0, 0, 0, 0, 0];
      A[5] = [0, 0, 0, 0, lambda, 0, 0, 0];
      const got = m.commutation({ T: linearT(A, p.T), H: p.H }, x).item();
      expect(Math.abs(got - 1 / 6)).toBeLessThan(1e-6);
    }
  });
});

describe("𝓛_independent: 1 − det G (or −log det G), G the Gram matrix of the momenta's normalised gradients", () => {
  const set = twoBodyTrainingSet(2, 3, 1, BOOST);
  const x = tensor(set.x, [set.n, 8]);
  const m = scnnModel({ dim: 8, hidden: [8], cyclic: 4, poissonWeight: 1, seed: 0 });
  const p = m.init();
  const eye = (): number[][] => COM_RELATIVE.map((_, i) => COM_RELATIVE.map((_, j) => (i === j ? 1 : 0)));
  it("0 for orthogonal gradients: the centre-of-mass map's momenta P_x, P_y, p_x, p_y", () => {
    // 5e-12: the 1e-12 guard in each gradient's norm (|∇p_x|² = 1/2), not a dependence
    expect(m.independence({ T: linearT(COM_RELATIVE, p.T), H: p.H }, x).item()).toBeLessThan(1e-10);
  });
  it("a²/(a² + b²) for P1 = px1 and P2 = λ(a·px1 + b·py1): cos² = a²/(a² + b²), whatever λ", () => {
    // P3 = px2 and P4 = py2 are orthogonal to both, so det G = 1 − cos²(∇P1, ∇P2) = b²/(a² + b²)
    for (const [a, b, lambda] of [
      [3, 1, 1],
      [3, 1, 5],
      [1, 0, 2],
      [1, 2, 0.5],
    ]) {
      const A = eye();
      A[4] = [0, 0, 0, 0, 1, 0, 0, 0];
      A[5] = [0, 0, 0, 0, lambda * a, lambda * b, 0, 0];
      const q = { T: linearT(A, p.T), H: p.H };
      const det = (b * b) / (a * a + b * b);
      expect(Math.abs(m.independence(q, x).item() - (1 - det)), `${[a, b, lambda]}`).toBeLessThan(1e-6);
      // the log form: −log(det G + 1e-6), 13.8 for the collapsed pair (b = 0)
      const got = m.independence(q, x, "log").item();
      expect(Math.abs(got + Math.log(det + 1e-6)), `${[a, b, lambda]}`).toBeLessThan(1e-3 * Math.max(1, got));
    }
  });
  it("three of four momenta in one plane: det G = 0, the term 1", () => {
    const A = eye();
    A[4] = [0, 0, 0, 0, 1, 0, 0, 0];
    A[5] = [0, 0, 0, 0, 0, 1, 0, 0];
    A[6] = [0, 0, 0, 0, 2, -1, 0, 0];
    expect(Math.abs(m.independence({ T: linearT(A, p.T), H: p.H }, x).item() - 1)).toBeLessThan(1e-6);
  });
  it("its gradient in T's parameters matches central differences (a random T, 5 states)", () => {
    const x5 = tensor(set.x.slice(0, 40), [5, 8]);
    const [l1, l2] = p.T;
    const f = (w: Tensor) => m.independence({ T: [l1, { w, b: l2.b }], H: p.H }, x5);
    checkGrads(f, [l2.w], { order: 1, modes: ["rev"], rtol: 1e-5, atol: 1e-8, eps: 1e-4 });
    const g = (w: Tensor) => m.independence({ T: [l1, { w, b: l2.b }], H: p.H }, x5, "log");
    checkGrads(g, [l2.w], { order: 1, modes: ["rev"], rtol: 1e-5, atol: 1e-8, eps: 1e-4 });
    // the term is not flat there: the check compares non-zero numbers
    expect(grad(f)(l2.w).abs().max().item()).toBeGreaterThan(1e-4);
  });
  it("enters the loss with its weight; a negative or infinite weight is refused naming it", () => {
    const v = tensor(set.xdot, [set.n, 8]);
    const w = scnnModel({ dim: 8, hidden: [8], cyclic: 4, poissonWeight: 1, independenceWeight: 7, seed: 0 });
    const q = w.init();
    const diff = w.loss(q, x, v).item() - m.loss(q, x, v).item();
    expect(Math.abs(diff - 7 * m.independence(q, x).item())).toBeLessThan(1e-9 * Math.max(1, diff));
    for (const bad of [-1, Number.POSITIVE_INFINITY])
      expect(() =>
        scnnModel({ dim: 8, hidden: [8], cyclic: 4, poissonWeight: 1, independenceWeight: bad, seed: 0 }),
      ).toThrow(PhysmlInputError);
  });
});

describe('𝓛_independent over the batch ("values"): 1 − det C, C the correlation matrix of the momenta\'s values', () => {
  const m = scnnModel({ dim: 8, hidden: [8], cyclic: 4, poissonWeight: 1, seed: 0 });
  const p = m.init();
  const eye = (): number[][] => COM_RELATIVE.map((_, i) => COM_RELATIVE.map((_, j) => (i === j ? 1 : 0)));
  // 8 states whose momenta (p_x1, p_y1, p_x2, p_y2) are columns 1–4 of the 8×8 Hadamard matrix /10:
  // each has mean 0 and they are orthogonal, so their values are exactly uncorrelated
  const hadamard = (r: number, c: number) => (-1) ** (r & c).toString(2).replace(/0/g, "").length;
  const x = tensor(
    Array.from({ length: 8 }, (_, r) => [
      0.3 + 0.1 * r,
      -0.2 * r,
      0.5,
      0.1 * r * r,
      ...[1, 2, 3, 4].map((c) => 0.1 * hadamard(r, c)),
    ]),
  );
  it("0 for uncorrelated values: the identity's momenta on the Hadamard states", () => {
    expect(m.independence({ T: linearT(eye(), p.T), H: p.H }, x, "values").item()).toBeLessThan(1e-6);
  });
  it("a²/(a² + b²) for P1 = px1 and P2 = λ(a·px1 + b·py1), whatever λ; 1 for a collapse (b = 0)", () => {
    // corr(P1, P2) = a/√(a² + b²) and P3, P4 are uncorrelated with both: det C = b²/(a² + b²)
    for (const [a, b, lambda] of [
      [3, 1, 1],
      [3, 1, -5],
      [1, 0, 2],
      [1, 2, 0.5],
    ]) {
      const A = eye();
      A[5] = [0, 0, 0, 0, lambda * a, lambda * b, 0, 0];
      const got = m.independence({ T: linearT(A, p.T), H: p.H }, x, "values").item();
      expect(Math.abs(got - (a * a) / (a * a + b * b)), `${[a, b, lambda]}`).toBeLessThan(1e-6);
    }
  });
  it("equals 1 − det of the correlation matrix computed directly (random linear T, 64 initial states)", () => {
    // one state per orbit: along one orbit the total momentum is constant
    const set = { x: twoBodyInitialStatesFor(64) };
    const xs = tensor(set.x, [64, 8]);
    // pseudo-random entries in [−1, 1) (a sum of sines would make a matrix of rank 2)
    const hash = (i: number, j: number) => {
      const h = Math.sin(12.9898 * i + 78.233 * j + 1) * 43758.5453;
      return 2 * (h - Math.floor(h)) - 1;
    };
    const rows = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => hash(i, j)));
    const got = m.independence({ T: linearT(rows, p.T), H: p.H }, xs, "values").item();
    // P_i = Σ_j A_{4+i, j} x_j, their Pearson correlations, det by Gaussian elimination
    const P = [0, 1, 2, 3].map((i) =>
      Array.from({ length: 64 }, (_, r) => rows[4 + i].reduce((s, a, j) => s + a * set.x[r * 8 + j], 0)),
    );
    const centred = P.map((v) => {
      const mu = v.reduce((s, c) => s + c, 0) / v.length;
      return v.map((c) => c - mu);
    });
    const dot = (u: number[], v: number[]) => u.reduce((s, c, k) => s + c * v[k], 0);
    const C = centred.map((u) => centred.map((v) => dot(u, v) / Math.sqrt(dot(u, u) * dot(v, v))));
    let det = 1;
    for (let k = 0; k < 4; k++) {
      det *= C[k][k];
      for (let i = k + 1; i < 4; i++) {
        const f = C[i][k] / C[k][k];
        for (let j = k; j < 4; j++) C[i][j] -= f * C[k][j];
      }
    }
    expect(det).toBeGreaterThan(1e-6);
    expect(det).toBeLessThan(1);
    expect(Math.abs(got - (1 - det))).toBeLessThan(1e-6);
  });
  it("its gradient in T's parameters matches central differences (a random T, 6 initial states)", () => {
    const x6 = tensor(twoBodyInitialStatesFor(6), [6, 8]);
    const [l1, l2] = p.T;
    const f = (w: Tensor) => m.independence({ T: [l1, { w, b: l2.b }], H: p.H }, x6, "values");
    checkGrads(f, [l2.w], { order: 1, modes: ["rev"], rtol: 1e-5, atol: 1e-8, eps: 1e-4 });
    expect(grad(f)(l2.w).abs().max().item()).toBeGreaterThan(1e-4);
  });
  it("leaves out momenta constant over the states: P_x, P_y of the relative frame on unboosted orbits", () => {
    // one state per orbit, no boost: total momentum 0 on every state, so T's P₁, P₂ (passed
    // through) are constant; P₃, P₄ are T's random functions of the relative motion
    const r = scnnModel({
      dim: 8,
      hidden: [8],
      cyclic: 4,
      poissonWeight: 1,
      inputMap: COM_RELATIVE,
      fixedPairs: 2,
      seed: 3,
    });
    const q = r.init();
    const xs = tensor(twoBodyInitialStates(64, 5), [64, 8]);
    expect(r.constantMomenta(q, xs)).toEqual([0, 1]);
    // over P₃, P₄ alone det C = 1 − corr(P₃, P₄)², so 1 − det C is corr², computed directly
    const z = r.transform(q, xs).toFloat64Array();
    const col = (i: number) => Array.from({ length: 64 }, (_, k) => z[k * 8 + 4 + i]);
    const centred = (v: number[]) => {
      const mu = v.reduce((a, b) => a + b, 0) / v.length;
      return v.map((c) => c - mu);
    };
    const [u, v] = [centred(col(2)), centred(col(3))];
    const dot = (a: number[], b: number[]) => a.reduce((s, c, k) => s + c * b[k], 0);
    const rho2 = dot(u, v) ** 2 / (dot(u, u) * dot(v, v));
    const got = r.independence(q, xs, "values").item();
    expect(rho2 > 1e-3 && rho2 < 0.999).toBe(true);
    expect(Math.abs(got - rho2)).toBeLessThan(1e-9);
    // with a boost nothing is constant and all four enter
    const boosted = tensor(twoBodyInitialStates(64, 5, BOOST), [64, 8]);
    expect(r.constantMomenta(q, boosted)).toEqual([]);
    // fewer than two varying momenta: nothing can be dependent, 0 (not NaN)
    const few = scnnModel({
      dim: 8,
      hidden: [8],
      cyclic: 3,
      poissonWeight: 1,
      inputMap: COM_RELATIVE,
      fixedPairs: 2,
      seed: 3,
    });
    expect(few.independence(few.init(), xs, "values").item()).toBe(0);
  });
  it("enters the loss with its weight when the model's form is values", () => {
    const set = twoBodyTrainingSet(4, 3, 1, BOOST);
    const xs = tensor(set.x, [set.n, 8]);
    const v = tensor(set.xdot, [set.n, 8]);
    const w = scnnModel({
      dim: 8,
      hidden: [8],
      cyclic: 4,
      poissonWeight: 1,
      independenceWeight: 7,
      independence: "values",
      seed: 0,
    });
    const q = w.init();
    const diff = w.loss(q, xs, v).item() - m.loss(q, xs, v).item();
    const term = m.independence(q, xs, "values").item();
    expect(term).toBeGreaterThan(1e-3);
    expect(Math.abs(diff - 7 * term)).toBeLessThan(1e-9 * Math.max(1, diff));
  });
});

describe("cyclic coordinates as gradients, and 𝓛_conserved as a cosine", () => {
  const set = twoBodyTrainingSet(2, 3, 1, BOOST);
  const x = tensor(set.x, [set.n, 8]);
  const v = tensor(set.xdot, [set.n, 8]);
  // T the centre-of-mass/relative map; the Q network constant, ∇Q_i = e_i + rows[i]
  const params = (cyclic: number, rows: readonly (readonly number[])[], conservation?: "rate" | "cosine") => {
    const m = scnnModel({
      dim: 8,
      hidden: [8],
      cyclic,
      poissonWeight: 1,
      cyclicQ: "gradients",
      conservation,
      seed: 0,
    });
    const p = m.init();
    const Q = p.Q.map((l, k) => ({
      w: l.w.mul(0),
      b:
        k === p.Q.length - 1
          ? tensor(rows.flatMap((r, i) => r.map((a, j) => a - (i === j ? 1 : 0))))
          : l.b.mul(0),
    }));
    return { m, p: { T: linearT(COM_RELATIVE, p.T), H: p.H, Q } };
  };
  const identityRows = (k: number) =>
    Array.from({ length: k }, (_, i) => Array.from({ length: 8 }, (_, j) => (i === j ? 1 : 0)));
  it("the Poisson loss uses the Q network's rows: 0 with the map's own rows, 7.5/64 with x1, y1, x2", () => {
    expect(
      params(3, COM_RELATIVE.slice(0, 3))
        .m.poisson(params(3, COM_RELATIVE.slice(0, 3)).p, x)
        .item(),
    ).toBeLessThan(1e-14);
    // {x1, p_rx} = 1/2, {y1, p_ry} = 1/2, {x2, P_x} = 1, {x2, p_rx} = −1/2 instead of 0, 0, 0, 1:
    // squared errors 1/4 + 1/4 + 1 + 9/4, each twice in the antisymmetric 8×8 bracket matrix
    const wrong = params(3, identityRows(3));
    expect(wrong.m.poisson(wrong.p, x).item()).toBeCloseTo(7.5 / 64, 6);
  });
  it("allows every coordinate cyclic (H_θ of the momenta alone) and no more", () => {
    const { m, p } = params(4, COM_RELATIVE.slice(0, 4));
    expect(m.poisson(p, x).item()).toBeLessThan(1e-14);
    expect(() => scnnModel({ dim: 8, hidden: [8], cyclic: 5, poissonWeight: 1, seed: 0 })).toThrow(
      PhysmlInputError,
    );
  });
  it("the cosine of ∇p_rx with ẋ is ṗ_rx/(|∇p_rx||ẋ|) with |∇p_rx|² = 1/2; P_x and P_y give 0", () => {
    const { m, p } = params(3, COM_RELATIVE.slice(0, 3), "cosine");
    const cos = m.flowCosines(p, x, v).toFloat64Array();
    let want = 0;
    for (let b = 0; b < set.n; b++) {
      const z = set.x.subarray(8 * b, 8 * b + 8);
      const zd = set.xdot.subarray(8 * b, 8 * b + 8);
      const r = Math.hypot(z[0] - z[2], z[1] - z[3]);
      const c = -(z[0] - z[2]) / r ** 3 / Math.sqrt(0.5 * zd.reduce((a, u) => a + u * u, 0));
      expect(Math.abs(cos[3 * b])).toBeLessThan(1e-7);
      expect(Math.abs(cos[3 * b + 1])).toBeLessThan(1e-7);
      expect(cos[3 * b + 2]).toBeCloseTo(c, 6);
      want += c ** 2 / (3 * set.n);
    }
    expect(Math.abs(m.conservation(p, x, v).item() - want)).toBeLessThan(1e-6 * want);
  });
});

describe("T fed the centre-of-mass/relative coordinates (a fixed canonical map)", () => {
  const set = twoBodyTrainingSet(2, 3, 1, BOOST);
  const x = tensor(set.x, [set.n, 8]);
  const y = tensor(
    Array.from({ length: set.n }, (_, b) =>
      COM_RELATIVE.map((row) => row.reduce((a, m, j) => a + m * set.x[8 * b + j], 0)),
    ),
  );
  it("the map preserves every Poisson bracket and carries P_x, P_y and L to P_X, P_Y and r_x p_y − r_y p_x", () => {
    expect(symplecticDefect(COM_RELATIVE)).toBe(0);
    // doubling X doubles {X, P_x}: a defect of 1
    expect(symplecticDefect(COM_RELATIVE.map((r, i) => r.map((m) => (i === 0 ? 2 * m : m))))).toBe(1);
    const yv = y.toFloat64Array();
    for (let b = 0; b < set.n; b++) {
      const z = set.x.subarray(8 * b, 8 * b + 8);
      const w = yv.subarray(8 * b, 8 * b + 8);
      expect(w[4]).toBeCloseTo(invariant("Px", z), 12);
      expect(w[5]).toBeCloseTo(invariant("Py", z), 12);
      expect(w[2] * w[7] - w[3] * w[6]).toBeCloseTo(invariant("L", z), 12);
    }
  });
  it("the model with the map is the model without it composed with the map: same T, Poisson loss and field", () => {
    const plain = scnnModel({ dim: 8, hidden: [8], cyclic: 2, poissonWeight: 1, seed: 4 });
    const fed = scnnModel({
      dim: 8,
      hidden: [8],
      cyclic: 2,
      poissonWeight: 1,
      seed: 4,
      inputMap: COM_RELATIVE,
    });
    const p = plain.init();
    const close = (a: Float64Array, b: Float64Array) =>
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-12);
    close(fed.transform(p, x).toFloat64Array(), plain.transform(p, y).toFloat64Array());
    // canonical: the brackets of T ∘ M in x are those of T in y
    expect(Math.abs(fed.poisson(p, x).item() - plain.poisson(p, y).item())).toBeLessThan(1e-12);
    expect(plain.poisson(p, y).item()).toBeGreaterThan(1e-6);
    // Mᵀ carries ∇_y K back to x: ẋ = J Mᵀ ∇_y K = M⁻¹ J ∇_y K, i.e. M ẋ = ẏ
    const xd = fed.field(p, x).toFloat64Array();
    const yd = plain.field(p, y).toFloat64Array();
    const Mxd = Float64Array.from({ length: 8 * set.n }, (_, k) => {
      const [b, i] = [Math.floor(k / 8), k % 8];
      return COM_RELATIVE[i].reduce((a, m, j) => a + m * xd[8 * b + j], 0);
    });
    close(Mxd, yd);
  });
  it("with cyclic Q as gradients, their rows start at the map's: an identity T gives Poisson loss 0", () => {
    const m = scnnModel({
      dim: 8,
      hidden: [8],
      cyclic: 4,
      poissonWeight: 1,
      cyclicQ: "gradients",
      inputMap: COM_RELATIVE,
      seed: 0,
    });
    const p = m.init();
    const eye = COM_RELATIVE.map((_, i) => COM_RELATIVE.map((_, j) => (i === j ? 1 : 0)));
    const Q = p.Q.map((l) => ({ w: l.w.mul(0), b: l.b.mul(0) }));
    expect(m.poisson({ T: linearT(eye, p.T), H: p.H, Q }, x).item()).toBeLessThan(1e-14);
  });
  it("with the first two pairs fixed, T keeps X, Y, P_x and P_y exactly and moves only the relative motion", () => {
    const m = scnnModel({
      dim: 8,
      hidden: [8],
      cyclic: 4,
      poissonWeight: 1,
      inputMap: COM_RELATIVE,
      fixedPairs: 2,
      seed: 1,
    });
    const p = m.init();
    const z = m.transform(p, x).toFloat64Array();
    const yv = y.toFloat64Array();
    let moved = 0;
    for (let b = 0; b < set.n; b++)
      for (let i = 0; i < 8; i++) {
        const d = Math.abs(z[8 * b + i] - yv[8 * b + i]);
        if ([0, 1, 4, 5].includes(i)) expect(d).toBe(0);
        else moved = Math.max(moved, d);
      }
    expect(moved).toBeGreaterThan(1e-3);
    // the relative part does not see the centre of mass: shifting X and P_x leaves it unchanged
    const shifted = tensor(
      Array.from(set.x, (v, k) => v + ([0, 2, 4, 6].includes(k % 8) ? 0.3 : 0)),
      [set.n, 8],
    );
    const zs = m.transform(p, shifted).toFloat64Array();
    for (let b = 0; b < set.n; b++)
      for (const i of [2, 3, 6, 7]) expect(zs[8 * b + i]).toBeCloseTo(z[8 * b + i], 12);
    for (const fixedPairs of [4, 1.5, -1])
      expect(() =>
        scnnModel({ dim: 8, hidden: [8], cyclic: 2, poissonWeight: 1, seed: 0, fixedPairs }),
      ).toThrow(PhysmlInputError);
  });
  it("refuses a map that is not canonical or not d×d", () => {
    const scaled = COM_RELATIVE.map((r, i) => r.map((m) => (i === 0 ? 2 * m : m)));
    for (const inputMap of [scaled, COM_RELATIVE.slice(0, 4)])
      expect(() =>
        scnnModel({ dim: 8, hidden: [8], cyclic: 2, poissonWeight: 1, seed: 0, inputMap }),
      ).toThrow(PhysmlInputError);
  });
});

describe("minibatch training", () => {
  it("is deterministic for a seed and lowers the full-set HNN loss by 1.5× in 40 steps of 16 states", () => {
    const set = twoBodyTrainingSet(4, 2, 2);
    const x = tensor(set.x, [set.n, 8]);
    const v = tensor(set.xdot, [set.n, 8]);
    const m = hnnModel(8, [16], 0);
    const run = () => trainFieldModel(m, x, v, { steps: 40, lr: 1e-2, batch: 16, seed: 3 });
    const a = run();
    const b = run();
    expect(a.losses).toEqual(b.losses);
    expect(m.loss(a.state.params, x, v).item()).toBeLessThan(m.loss(m.init(), x, v).item() / 1.5); // observed 2.1×
  });
});
