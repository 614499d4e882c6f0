// The covariance estimator against exact enumeration on a 4×4 torus: i.i.d. samples drawn from
// the exact Boltzmann distribution, the gradient estimate averaged over repetitions, compared
// with a central finite difference of the exactly enumerated loss L(t).
import { enumerateExpectations, squareLattice, termSums } from "@physml/lattice-core";
import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, test } from "vitest";
import { featuresBatch, linkVariablesBatch, shapeTables } from "../model/features.js";
import { EXTENDED_SHAPES } from "../model/shapes.js";
import { candidateSlots, windowTable } from "../model/window.js";
import { batchMeans, couplingGradient, precondition, solveDamped } from "./gradient.js";

const lat = squareLattice(4);
const N = lat.nSites;
const tables = shapeTables(lat, EXTENDED_SHAPES);
const A = EXTENDED_SHAPES.length;
const slots = candidateSlots(1);
const win = windowTable(lat, slots);
const dualSlot = slots.findIndex((s) => s.kind === "dual-crossing");

/** ψ_a of O = 1.1 − 0.5·x_dual for one configuration. */
function psiOf(spins: Int8Array): Float64Array {
  const x = linkVariablesBatch(lat, spins, 1);
  const O = Float64Array.from(
    { length: lat.nLinks },
    (_, l) => 1.1 - 0.5 * x[win[l * slots.length + dualSlot]],
  );
  return featuresBatch(lat, tables, O, 1);
}

const nConf = 2 ** N;
const allPsi = new Float64Array(nConf * A);
const allTerms = new Float64Array(nConf * 4);
for (let c = 0; c < nConf; c++) {
  const s = Int8Array.from({ length: N }, (_, i) => ((c >> i) & 1 ? -1 : 1));
  allPsi.set(psiOf(s), c * A);
  allTerms.set(termSums(lat, s), c * 4);
}

/** ψ of a configuration, looked up from the table above. */
function psiLookup(s: Int8Array): Float64Array {
  let c = 0;
  for (let i = 0; i < N; i++) if (s[i] < 0) c |= 1 << i;
  return allPsi.subarray(c * A, (c + 1) * A);
}

const memo = new Map<number, Float64Array>();
/** Exact ⟨ψ_a⟩_t by lattice-core's enumeration. */
function exactMeans(t: number): Float64Array {
  let m = memo.get(t);
  if (!m) {
    m = enumerateExpectations(lat, { nn: t, plaquette: 0, nnn: 0, field: 0 }, psiLookup);
    memo.set(t, m);
  }
  return m;
}

const t0 = 0.35;
const exact0 = exactMeans(t0);
// A target off the model's values so that the loss and its gradient are far from zero.
const target = Float64Array.from(exact0, (v, a) => v + (a % 3 === 0 ? 0.12 : -0.1));
const loss = (t: number) => exactMeans(t).reduce((s, v, a) => s + (v - target[a]) ** 2, 0);

/** i.i.d. samples of the exact distribution at coupling t. */
function sampler(t: number, seed: number) {
  const cdf = new Float64Array(nConf);
  let acc = 0;
  for (let c = 0; c < nConf; c++) {
    acc += Math.exp(t * allTerms[c * 4]);
    cdf[c] = acc;
  }
  const r = seededUniform(seed);
  return (S: number) => {
    const psi = new Float64Array(S * A);
    const terms = new Float64Array(S * 4);
    for (let b = 0; b < S; b++) {
      const u = r() * acc;
      let lo = 0;
      let hi = nConf - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      psi.set(allPsi.subarray(lo * A, (lo + 1) * A), b * A);
      terms.set(allTerms.subarray(lo * 4, (lo + 1) * 4), b * 4);
    }
    return { psi, terms };
  };
}

describe("covariance estimator of ∂L/∂t", () => {
  const h = 1e-4;
  const fd = (loss(t0 + h) - loss(t0 - h)) / (2 * h);

  test.each([true, false])("split-half estimate is unbiased (controlVariates %s)", (cv) => {
    const draw = sampler(t0, cv ? 11 : 12);
    const S = 1000;
    const grads: number[] = [];
    const lossU: number[] = [];
    for (let r = 0; r < 60; r++) {
      const { psi, terms } = draw(S);
      const g = couplingGradient({
        psi,
        terms,
        samples: S,
        half: S / 2,
        target,
        termIndices: [0],
        controlVariates: cv,
      });
      grads.push(g.grad[0]);
      lossU.push(g.lossUnbiased);
    }
    const gm = batchMeans(grads, 60);
    const lm = batchMeans(lossU, 60);
    expect(Math.abs(fd)).toBeGreaterThan(6 * gm.error); // the test can tell a wrong gradient
    expect(Math.abs(gm.mean - fd)).toBeLessThan(4 * gm.error);
    expect(Math.abs(lm.mean - loss(t0))).toBeLessThan(4 * lm.error);
  });

  test("with both halves the whole enumeration at exact weights, the split-half gradient is ∂L/∂t", () => {
    // Every configuration once per half, weighted by its Boltzmann probability p_c: each half's
    // weighted means are the exact ⟨ψ_a⟩ and, without centring (the published form, S̄ over both
    // halves, normalised by W = 1), its covariance is the exact Cov(ψ_a, S); so the estimate must
    // equal the finite difference of the enumerated loss up to the difference's O(h²) error. With
    // centring, Bessel's factor W − W₂/W = 1 − Σp² divides it — a known, exact factor.
    const logw = Float64Array.from({ length: nConf }, (_, c) => t0 * allTerms[c * 4]);
    const top = Math.max(...logw);
    const p = logw.map((v) => Math.exp(v - top));
    const Z = p.reduce((a, b) => a + b, 0);
    for (let c = 0; c < nConf; c++) p[c] /= Z;
    const sumP2 = p.reduce((a, v) => a + v * v, 0);
    const both = (x: Float64Array) => {
      const out = new Float64Array(2 * x.length);
      out.set(x);
      out.set(x, x.length);
      return out;
    };
    const input = {
      psi: both(allPsi),
      terms: both(allTerms),
      samples: 2 * nConf,
      half: nConf,
      target,
      termIndices: [0],
      weights: both(p),
    };
    const plain = couplingGradient({ ...input, controlVariates: false });
    const centred = couplingGradient({ ...input, controlVariates: true });
    expect(Math.abs(plain.grad[0] / fd - 1)).toBeLessThan(1e-6);
    expect(Math.abs((centred.grad[0] * (1 - sumP2)) / fd - 1)).toBeLessThan(1e-6);
    expect(Math.abs(plain.lossUnbiased / loss(t0) - 1)).toBeLessThan(1e-10);
  });

  test("pooled gradient is the derivative of the pooled loss of a fixed reweighted sample", () => {
    // With importance weights w_b·exp(δ·S_b) the pooled means are smooth in δ; the pooled gradient
    // at δ = 0 must be d/dδ Σ_a (mean_a(δ) − T_a)² (up to Bessel's factor 1 + O(1/ESS)).
    const S = 2000;
    const { psi, terms } = sampler(t0, 21)(S);
    const base = Float64Array.from({ length: S }, (_, b) => Math.exp(0.002 * (terms[b * 4] - 10)));
    const pooledLoss = (d: number) => {
      const w = Float64Array.from(base, (v, b) => v * Math.exp(d * terms[b * 4]));
      return couplingGradient({ psi, terms, samples: S, half: S / 2, target, termIndices: [0], weights: w })
        .loss;
    };
    const g = couplingGradient({
      psi,
      terms,
      samples: S,
      half: S / 2,
      target,
      termIndices: [0],
      weights: base,
    });
    const dl = (pooledLoss(1e-5) - pooledLoss(-1e-5)) / 2e-5;
    expect(Math.abs(dl)).toBeGreaterThan(0.1);
    expect(Math.abs(g.gradPooled[0] - dl)).toBeLessThan(2e-3 * Math.abs(dl));
  });

  test("pooled gradient agrees with the exact ∂L/∂t on large samples", () => {
    // Its O(1/S) noise bias must be below the statistical error at S = 4000.
    const draw = sampler(t0, 22);
    const S = 4000;
    const grads: number[] = [];
    for (let r = 0; r < 30; r++) {
      const { psi, terms } = draw(S);
      grads.push(
        couplingGradient({ psi, terms, samples: S, half: S / 2, target, termIndices: [0] }).gradPooled[0],
      );
    }
    const gm = batchMeans(grads, 30);
    expect(Math.abs(fd)).toBeGreaterThan(6 * gm.error);
    expect(Math.abs(gm.mean - fd)).toBeLessThan(4 * gm.error);
  });

  test("jacobian and Fisher metric match exact covariances", () => {
    const draw = sampler(t0, 13);
    const S = 20000;
    const { psi, terms } = draw(S);
    const g = couplingGradient({ psi, terms, samples: S, half: S / 2, target, termIndices: [0] });
    const e = enumerateExpectations(lat, { nn: t0, plaquette: 0, nnn: 0, field: 0 }, (s, tr) => {
      const p = psiLookup(s);
      return [tr[0], tr[0] * tr[0], ...p, ...p.map((v) => v * tr[0])];
    });
    const varS = e[1] - e[0] ** 2;
    expect(g.fisher[0]).toBeCloseTo(varS, -Math.log10(0.05 * varS));
    for (const a of [0, 6, 12, 19]) {
      const cov = e[2 + A + a] - e[2 + a] * e[0];
      const dcov = (exactMeans(t0 + h)[a] - exactMeans(t0 - h)[a]) / (2 * h);
      expect(cov).toBeCloseTo(dcov, 6); // the covariance identity itself
      expect(Math.abs(g.jacobian[a] - cov)).toBeLessThan(0.05 * Math.abs(cov) + 0.02);
    }
  });

  test("preconditioners solve their linear systems", () => {
    const M = Float64Array.from([4, 1, 1, 3]);
    const x = solveDamped(M, Float64Array.from([1, 2]), 0);
    expect(4 * x[0] + x[1]).toBeCloseTo(1, 10);
    expect(x[0] + 3 * x[1]).toBeCloseTo(2, 10);
    const g = {
      grad: Float64Array.from([2]),
      jacobian: Float64Array.from([1, 2]),
      fisher: Float64Array.from([8]),
    } as Parameters<typeof precondition>[0];
    expect(precondition(g, "none", 4)[0]).toBe(2);
    expect(precondition(g, "natural", 4)[0]).toBeCloseTo(2 / (2 * 1.1), 8);
    expect(precondition(g, "gauss-newton", 4)[0]).toBeCloseTo(2 / (10 * 1.1), 8);
  });

  test("rejects inconsistent shapes", () => {
    expect(() =>
      couplingGradient({
        psi: new Float64Array(6),
        terms: new Float64Array(8),
        samples: 2,
        half: 1,
        target: [0, 0, 0],
        termIndices: [0],
      }),
    ).toThrow(/half/);
    expect(() =>
      couplingGradient({
        psi: new Float64Array(5),
        terms: new Float64Array(16),
        samples: 4,
        half: 2,
        target: [0],
        termIndices: [0],
      }),
    ).toThrow(/psi.length/);
  });
});

describe("batchMeans", () => {
  test("error of i.i.d. uniforms ≈ σ/√n", () => {
    const r = seededUniform(5);
    const xs = Array.from({ length: 10000 }, () => r());
    const bm = batchMeans(xs, 20);
    const ideal = Math.sqrt(1 / 12 / 10000);
    expect(Math.abs(bm.mean - 0.5)).toBeLessThan(4 * ideal);
    expect(bm.error).toBeGreaterThan(0.5 * ideal);
    expect(bm.error).toBeLessThan(1.6 * ideal);
  });
});
