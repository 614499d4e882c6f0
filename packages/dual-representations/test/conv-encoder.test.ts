// The conv encoder against a naive loop written here (odd and even windows: the even one masks a
// tap), its parameter gradient against central finite differences of that loop, its shift
// equivariance, hand-set weights that make every latent unit one σ_k (the encoder can express an
// n-spin parity), and the autoencoder with it: one latent unit per site, other latents refused.
import { grad, mul, random, sum, type Tensor, tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { autoencoder, latentOverlap } from "../src/chain/autoencoder.js";
import { type ConvEncoderParams, convEncoder } from "../src/chain/conv-encoder.js";
import { dualVariables, instanceSites, nSpinChain } from "../src/chain/model.js";
import { resolveChainConfig } from "../src/config.js";
import { expectCentralDifferences, expectShiftEquivariant, type Flat, flat } from "./conv-fixtures.js";

const N = 9;
const B = 5;
const spins = Float64Array.from({ length: B * N }, (_, i) => (Math.sin(5.1 * i + 0.3) > 0 ? 1 : -1));
const x = tensor(spins, [B, N]);

/** z[b, p] = tanh(b2 + Σ_c w2_c tanh(b1_c + Σ_{t<w} w1[c, t] s[b, (p − ⌊w/2⌋ + t) mod N])). */
function naive(p: Flat, w: number, c: number, s: Float64Array = spins): Float64Array {
  const taps = p.w1.length / c;
  const rows = s.length / N;
  const z = new Float64Array(rows * N);
  for (let b = 0; b < rows; b++)
    for (let q = 0; q < N; q++) {
      let out = p.b2[0];
      for (let ch = 0; ch < c; ch++) {
        let h = p.b1[ch];
        for (let t = 0; t < w; t++)
          h += p.w1[ch * taps + t] * s[b * N + ((q - Math.floor(w / 2) + t + N) % N)];
        out += p.w2[ch] * Math.tanh(h);
      }
      z[b * N + q] = Math.tanh(out);
    }
  return z;
}

describe("conv encoder", () => {
  for (const w of [3, 4]) {
    const c = 3;
    const enc = convEncoder(N, { kernel: w, channels: c, key: random.key(11 + w) });

    it(`width ${w}: equals the naive loop`, () => {
      const z = enc.apply(enc.params, x).toFloat64Array();
      const want = naive(flat(enc.params), w, c);
      expect(z.length).toBe(B * N);
      for (let i = 0; i < z.length; i++) expect(z[i]).toBeCloseTo(want[i], 12);
    });

    it(`width ${w}: parameter gradient equals central differences of the naive loop`, () => {
      const r = Float64Array.from({ length: B * N }, (_, i) => Math.cos(2.3 * i + 1));
      const rT = tensor(r, [B, N]);
      const g = grad((p: ConvEncoderParams) => sum(mul(enc.apply(p, x), rT)))(enc.params);
      expectCentralDifferences(g, enc.params, (q) => naive(q, w, c).reduce((a, v, i) => a + v * r[i], 0));
      // The masked tap of the even width is never computed, so it has no gradient.
      const gw1 = (g.w1 as Tensor).toFloat64Array();
      if (w % 2 === 0) for (let ch = 0; ch < c; ch++) expect(gw1[ch * (w + 1) + w]).toBe(0);
    });

    it(`width ${w}: shifting the chain shifts the latent`, () => {
      expectShiftEquivariant((t) => enc.apply(enc.params, t), spins, N, [1, 4]);
    });
  }

  it("with n channels and width n, hand-set weights make every latent unit one σ_k", () => {
    // σ = Π s is ±1 by the parity of the sum m of the n spins; channel j steps at m = −n + 2j − 1
    // and the 1×1 conv adds the steps with alternating signs.
    for (const n of [4, 5]) {
      const Nc = 12;
      const rows = 64;
      const s = Float64Array.from({ length: rows * Nc }, (_, i) =>
        Math.sin(3.7 * i * i + 0.1 * i) > 0 ? 1 : -1,
      );
      const beta = 30;
      const taps = n % 2 === 1 ? n : n + 1;
      const w1 = new Float64Array(n * taps);
      const b1 = new Float64Array(n);
      const w2 = new Float64Array(n);
      let a0 = (-1) ** n;
      for (let j = 1; j <= n; j++) {
        for (let t = 0; t < n; t++) w1[(j - 1) * taps + t] = beta;
        b1[j - 1] = -beta * (-n + 2 * j - 1);
        const cj = (-1) ** (n - j);
        w2[j - 1] = beta * cj;
        a0 += cj;
      }
      const enc = convEncoder(Nc, { kernel: n, channels: n, key: random.key(1) });
      const p: ConvEncoderParams = {
        w1: tensor(w1, [n, 1, taps]),
        b1: tensor(b1, [n]),
        w2: tensor(w2, [1, n, 1]),
        b2: tensor([beta * a0], [1]),
      };
      const z = enc.apply(p, tensor(s, [rows, Nc])).toFloat64Array();
      const inst = instanceSites(nSpinChain(Nc, n));
      const sigma = new Float64Array(rows * inst.length);
      for (let r = 0; r < rows; r++)
        dualVariables(
          inst,
          s.subarray(r * Nc, (r + 1) * Nc),
          sigma.subarray(r * inst.length, (r + 1) * inst.length),
        );
      const target = { x: sigma, y: new Float64Array(rows), n: rows, d: inst.length };
      expect(latentOverlap(z, Nc, target)).toBeGreaterThan(0.999999);
      // Unit by unit: the window of site q starts at q − ⌊n/2⌋, so z_q = σ of that instance.
      for (let r = 0; r < rows; r++)
        for (let q = 0; q < Nc; q++) {
          let prod = 1;
          for (let t = 0; t < n; t++) prod *= s[r * Nc + ((q - Math.floor(n / 2) + t + Nc) % Nc)];
          expect(Math.abs(z[r * Nc + q] - prod)).toBeLessThan(1e-6);
        }
    }
  });

  it("the autoencoder with it has one latent unit per site; another latent is refused", () => {
    const o = { width: 8, classifierHidden: 4, reconstructionWeight: 1, seed: 2 };
    const ae = autoencoder(N, { ...o, latent: N, encoder: { kind: "conv", kernel: 4, channels: 2 } });
    expect(ae.encode(ae.params, x).shape).toEqual([B, N]);
    expect(
      Number.isFinite(ae.model.loss(ae.params, x, tensor(new Float64Array(B).fill(1), [B])).item()),
    ).toBe(true);
    expect(() =>
      autoencoder(N, { ...o, latent: N + 1, encoder: { kind: "conv", kernel: 4, channels: 2 } }),
    ).toThrow(PhysmlInputError);
  });

  it("config: --kernel below --sites and only with the conv encoder, whose latent equals --sites", () => {
    expect(resolveChainConfig({ encoder: "conv", kernel: 17 }).kernel).toBe(17);
    for (const bad of [
      { encoder: "conv", kernel: 18 },
      { kernel: 5 },
      { encoder: "conv", latent: 12 },
      { encoder: "cnn" },
      { encoder: "conv", channels: 0 },
    ]) {
      expect(() => resolveChainConfig(bad)).toThrow(PhysmlInputError);
    }
  });
});
