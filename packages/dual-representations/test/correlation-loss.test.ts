// The correlation-function term: the input's energy per instance against lattice-core's H(s), the
// neighbour correlator against Σ_k s_k s_{k+n} written from the spins, the latent readout against
// loops, the term zero on z = σ, the autoencoder's loss gaining exactly weight × the term, and its
// gradient in z against central finite differences of the loops; the same for the fitted affine
// readout a f(z) + b on hand-set a, b (gradient also in a and b).
import { grad, mean, square, sub, type Tensor, tensor } from "@physml/autodiff";
import { isingModelEnergy } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { autoencoder } from "../src/chain/autoencoder.js";
import {
  type AffineReadoutParams,
  affineReadout,
  affineReadoutInit,
  correlationError,
  inputCorrelations,
  latentCorrelations,
} from "../src/chain/correlation-loss.js";
import { dualVariables, instanceCouplings, instanceSites, nSpinChain } from "../src/chain/model.js";

const N = 10;
const n = 3;
const J0 = 0.7;
const model = nSpinChain(N, n, J0);
const inst = instanceSites(model);
const J = instanceCouplings(model);
const K = inst.length;
const B = 12;

// Deterministic ±1 spins and a latent in (−1, 1) with more units than K.
const spins = Float64Array.from({ length: B * N }, (_, i) => (Math.sin(7.3 * i + 1) > 0 ? 1 : -1));
const m = K + 3;
const zRaw = Float64Array.from({ length: B * m }, (_, i) => Math.sin(1.7 * i + 0.4) * 0.9);

/**
 * The term by loops: mean over rows and functions of (a_f f(z) + b_f − f(σ))² (functions written
 * out; a = 1, b = 0: the fixed readout).
 */
function naiveTerm(z: Float64Array, nn: boolean, a = [1, 1], b = [0, 0]): number {
  let sq = 0;
  const sigma = new Float64Array(K);
  for (let r = 0; r < B; r++) {
    dualVariables(inst, spins.subarray(r * N, (r + 1) * N), sigma);
    let ez = 0;
    let es = 0;
    let cz = 0;
    let cs = 0;
    for (let k = 0; k < K; k++) {
      ez -= (J0 * z[r * m + k]) / K;
      es -= (J0 * sigma[k]) / K;
      cz += (z[r * m + k] * z[r * m + ((k + 1) % K)]) / K;
      cs += (sigma[k] * sigma[(k + 1) % K]) / K;
    }
    sq += (a[0] * ez + b[0] - es) ** 2 + (nn ? (a[1] * cz + b[1] - cs) ** 2 : 0);
  }
  return sq / (B * (nn ? 2 : 1));
}

const x = tensor(spins, [B, N]);
const term = (nn: boolean) => {
  const fns = nn ? "energy-nn" : "energy";
  const t = inputCorrelations(inst, J, fns)(x);
  return (z: Tensor) => mean(square(sub(latentCorrelations(z, J, fns), t)));
};

// labels and a small autoencoder for the tests of its loss with the term
const y = tensor(
  Array.from({ length: B }, (_, r) => r % 2),
  [B],
);
const o = { latent: m, width: 8, classifierHidden: 4, reconstructionWeight: 1, seed: 5 };

describe("correlation-function term", () => {
  it("the input's energy per instance is lattice-core's H(s) / K; the correlator is Σ s_k s_{k+n} / K", () => {
    const f = inputCorrelations(inst, J, "energy-nn")(x).toFloat64Array();
    for (let r = 0; r < B; r++) {
      const s = spins.subarray(r * N, (r + 1) * N);
      expect(f[2 * r]).toBeCloseTo(isingModelEnergy(model, Int8Array.from(s)) / K, 12);
      let c = 0;
      for (let k = 0; k < N; k++) c += s[k] * s[(k + n) % N];
      expect(f[2 * r + 1]).toBeCloseTo(c / K, 12);
    }
    const e = inputCorrelations(inst, J, "energy")(x).toFloat64Array();
    for (let r = 0; r < B; r++) expect(e[r]).toBeCloseTo(f[2 * r], 14);
  });

  it("the term equals the loops' value and is zero on z = σ", () => {
    for (const nn of [false, true]) {
      expect(term(nn)(tensor(zRaw, [B, m])).item()).toBeCloseTo(naiveTerm(zRaw, nn), 12);
      const zSigma = new Float64Array(B * m);
      for (let r = 0; r < B; r++)
        dualVariables(inst, spins.subarray(r * N, (r + 1) * N), zSigma.subarray(r * m, r * m + K));
      expect(term(nn)(tensor(zSigma, [B, m])).item()).toBe(0);
      expect(correlationError(zSigma, m, spins, N, inst, J, nn ? "energy-nn" : "energy")).toBe(0);
      expect(correlationError(zRaw, m, spins, N, inst, J, nn ? "energy-nn" : "energy")).toBeCloseTo(
        Math.sqrt(naiveTerm(zRaw, nn)),
        12,
      );
    }
  });

  it("its gradient in z matches central finite differences of the loops", () => {
    const h = 1e-6;
    for (const nn of [false, true]) {
      const g = (grad(term(nn))(tensor(zRaw, [B, m])) as Tensor).toFloat64Array();
      let scale = 0;
      for (const v of g) scale = Math.max(scale, Math.abs(v));
      expect(scale).toBeGreaterThan(1e-4);
      for (let i = 0; i < zRaw.length; i++) {
        const up = Float64Array.from(zRaw);
        const down = Float64Array.from(zRaw);
        up[i] += h;
        down[i] -= h;
        const fd = (naiveTerm(up, nn) - naiveTerm(down, nn)) / (2 * h);
        // The loops are a quartic polynomial: central differences are exact to O(h²) ≈ 1e−12,
        // plus rounding ≈ 1e−16 / h = 1e−10.
        expect(Math.abs(g[i] - fd)).toBeLessThan(1e-8);
        if (i % m >= K) expect(g[i]).toBe(0);
      }
    }
  });

  it("the autoencoder's loss gains exactly weight × the term of its latent", () => {
    const plain = autoencoder(N, o);
    for (const nn of [false, true]) {
      const fns = nn ? "energy-nn" : "energy";
      const withTerm = autoencoder(N, {
        ...o,
        correlation: {
          weight: 3,
          readout: (z) => latentCorrelations(z, J, fns),
          target: inputCorrelations(inst, J, fns),
        },
      });
      const z = plain.encode(plain.params, x).toFloat64Array();
      const want = plain.model.loss(plain.params, x, y).item() + 3 * naiveTerm(z, nn);
      expect(withTerm.model.loss(withTerm.params, x, y).item()).toBeCloseTo(want, 12);
    }
  });

  // Hand-set readout weights, far from the start (1, 0) so a wrong order of a and b shows.
  const handA = [1.7, -0.6];
  const handB = [-0.2, 0.35];
  const hand = (nn: boolean): AffineReadoutParams => {
    const F = nn ? 2 : 1;
    return { a: tensor(handA.slice(0, F), [1, F]), b: tensor(handB.slice(0, F), [1, F]) };
  };

  it("the affine readout is a f(z) + b: the loops on hand-set a, b; its start a = 1, b = 0 is the fixed readout", () => {
    for (const nn of [false, true]) {
      const fns = nn ? "energy-nn" : "energy";
      const f = latentCorrelations(tensor(zRaw, [B, m]), J, fns);
      expect(affineReadout(affineReadoutInit(fns), f).toFloat64Array()).toEqual(f.toFloat64Array());
      const t = inputCorrelations(inst, J, fns)(x);
      const got = mean(square(sub(affineReadout(hand(nn), f), t))).item();
      expect(got).toBeCloseTo(naiveTerm(zRaw, nn, handA, handB), 12);
      expect(correlationError(zRaw, m, spins, N, inst, J, fns, hand(nn))).toBeCloseTo(
        Math.sqrt(naiveTerm(zRaw, nn, handA, handB)),
        12,
      );
    }
  });

  it("the autoencoder with the affine readout: its loss gains weight × the affine term; gradient in z, a, b matches finite differences", () => {
    const plain = autoencoder(N, o);
    const h = 1e-6;
    for (const nn of [false, true]) {
      const fns = nn ? "energy-nn" : "energy";
      const withTerm = autoencoder(N, {
        ...o,
        correlation: {
          weight: 3,
          readout: (z) => latentCorrelations(z, J, fns),
          target: inputCorrelations(inst, J, fns),
          affine: affineReadoutInit(fns),
        },
      });
      expect(Object.keys(withTerm.params).sort()).toEqual(["cls", "dec", "enc", "ro"]);
      const p = { ...withTerm.params, ro: hand(nn) };
      const z = plain.encode(plain.params, x).toFloat64Array();
      const want = plain.model.loss(plain.params, x, y).item() + 3 * naiveTerm(z, nn, handA, handB);
      expect(withTerm.model.loss(p, x, y).item()).toBeCloseTo(want, 12);

      // The term alone as a function of (z, a, b), against central differences of the loops.
      const t = inputCorrelations(inst, J, fns)(x);
      const F = nn ? 2 : 1;
      const g = grad((q: { z: Tensor; a: Tensor; b: Tensor }) =>
        mean(square(sub(affineReadout(q, latentCorrelations(q.z, J, fns)), t))),
      )({ z: tensor(zRaw, [B, m]), a: hand(nn).a, b: hand(nn).b }) as { z: Tensor; a: Tensor; b: Tensor };
      const gz = g.z.toFloat64Array();
      const ga = g.a.toFloat64Array();
      const gb = g.b.toFloat64Array();
      for (let i = 0; i < zRaw.length; i += 5) {
        const up = Float64Array.from(zRaw);
        const down = Float64Array.from(zRaw);
        up[i] += h;
        down[i] -= h;
        const fd = (naiveTerm(up, nn, handA, handB) - naiveTerm(down, nn, handA, handB)) / (2 * h);
        // Quartic in z: O(h²) ≈ 1e−12 plus rounding ≈ 1e−16 / h = 1e−10.
        expect(Math.abs(gz[i] - fd)).toBeLessThan(1e-8);
      }
      for (let f = 0; f < F; f++) {
        const shift = (v: number[], d: number) => v.map((u, j) => (j === f ? u + d : u));
        const fdA =
          (naiveTerm(zRaw, nn, shift(handA, h), handB) - naiveTerm(zRaw, nn, shift(handA, -h), handB)) /
          (2 * h);
        const fdB =
          (naiveTerm(zRaw, nn, handA, shift(handB, h)) - naiveTerm(zRaw, nn, handA, shift(handB, -h))) /
          (2 * h);
        // Quadratic in a and b: central differences exact up to rounding.
        expect(Math.abs(fdA)).toBeGreaterThan(1e-3);
        expect(Math.abs(fdB)).toBeGreaterThan(1e-3);
        expect(Math.abs(ga[f] - fdA)).toBeLessThan(1e-8);
        expect(Math.abs(gb[f] - fdB)).toBeLessThan(1e-8);
      }
    }
  });
});
