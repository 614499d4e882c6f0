// The correlation-function term: the input's energy per instance against lattice-core's H(s), the
// neighbour correlator against Σ_k s_k s_{k+n} written from the spins, the latent readout against
// loops, the term zero on z = σ, the autoencoder's loss gaining exactly weight × the term, and its
// gradient in z against central finite differences of the loops.
import { grad, mean, square, sub, type Tensor, tensor } from "@physml/autodiff";
import { isingModelEnergy } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { autoencoder } from "../src/chain/autoencoder.js";
import { correlationError, inputCorrelations, latentCorrelations } from "../src/chain/correlation-loss.js";
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

/** The term by loops: mean over rows and functions of (f(z) − f(σ))² (functions written out). */
function naiveTerm(z: Float64Array, nn: boolean): number {
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
    sq += (ez - es) ** 2 + (nn ? (cz - cs) ** 2 : 0);
  }
  return sq / (B * (nn ? 2 : 1));
}

const x = tensor(spins, [B, N]);
const term = (nn: boolean) => {
  const fns = nn ? "energy-nn" : "energy";
  const t = inputCorrelations(inst, J, fns)(x);
  return (z: Tensor) => mean(square(sub(latentCorrelations(z, J, fns), t)));
};

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
    const y = tensor(
      Array.from({ length: B }, (_, r) => r % 2),
      [B],
    );
    const o = { latent: m, width: 8, classifierHidden: 4, reconstructionWeight: 1, seed: 5 };
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
});
