// The conv decoder (the conv encoder's mirror) against a naive loop written here with the
// mirrored window (odd and even widths: the even one masks its first tap), its parameter gradient
// against central finite differences of that loop, its shift equivariance, the mirror property
// (output i reads exactly the latent units whose encoder window holds spin i), and the
// autoencoder with it: one latent unit per site, the dense path's parameters unchanged.
import { grad, mul, random, sum, type Tensor, tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { autoencoder } from "../src/chain/autoencoder.js";
import { convDecoder } from "../src/chain/conv-decoder.js";
import { type ConvEncoderParams, convEncoder } from "../src/chain/conv-encoder.js";
import { resolveChainConfig } from "../src/config.js";
import { expectCentralDifferences, expectShiftEquivariant, type Flat, flat } from "./conv-fixtures.js";

const N = 9;
const B = 5;
const latent = Float64Array.from({ length: B * N }, (_, i) => Math.tanh(2 * Math.sin(3.3 * i + 0.7)));
const z = tensor(latent, [B, N]);

/** The offsets the encoder's latent unit p reads: p − ⌊w/2⌋ + t, t < w. */
const encoderOffsets = (w: number) => Array.from({ length: w }, (_, t) => t - Math.floor(w / 2));

/**
 * x̂[b, i] = tanh(b2 + Σ_c w2_c tanh(b1_c + Σ_o W[c, o] z[b, (i + o) mod N])) over the mirrored
 * offsets o = −a of the encoder's a; W[c, o] is the stored tap ⌊taps/2⌋ + o of the centred kernel.
 */
function naive(p: Flat, w: number, c: number, zs: Float64Array = latent): Float64Array {
  const taps = p.w1.length / c;
  const rows = zs.length / N;
  const out = new Float64Array(rows * N);
  const offsets = encoderOffsets(w).map((a) => -a);
  for (let b = 0; b < rows; b++)
    for (let i = 0; i < N; i++) {
      let o = p.b2[0];
      for (let ch = 0; ch < c; ch++) {
        let h = p.b1[ch];
        for (const off of offsets)
          h += p.w1[ch * taps + Math.floor(taps / 2) + off] * zs[b * N + ((i + off + N) % N)];
        o += p.w2[ch] * Math.tanh(h);
      }
      out[b * N + i] = Math.tanh(o);
    }
  return out;
}

describe("conv decoder", () => {
  for (const w of [3, 4]) {
    const c = 3;
    const dec = convDecoder(N, { kernel: w, channels: c, key: random.key(21 + w) });

    it(`width ${w}: equals the naive loop over the mirrored window`, () => {
      const got = dec.apply(dec.params, z).toFloat64Array();
      const want = naive(flat(dec.params), w, c);
      expect(got.length).toBe(B * N);
      for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i], 12);
      // The even width's unused tap is the first one (the encoder's is the last), stored as 0.
      const w1 = dec.params.w1.toFloat64Array();
      if (w % 2 === 0) for (let ch = 0; ch < c; ch++) expect(w1[ch * (w + 1)]).toBe(0);
    });

    it(`width ${w}: parameter gradient equals central differences of the naive loop`, () => {
      const r = Float64Array.from({ length: B * N }, (_, i) => Math.cos(1.9 * i + 0.4));
      const rT = tensor(r, [B, N]);
      const g = grad((p: ConvEncoderParams) => sum(mul(dec.apply(p, z), rT)))(dec.params);
      expectCentralDifferences(g, dec.params, (q) => naive(q, w, c).reduce((a, v, i) => a + v * r[i], 0));
      const gw1 = (g.w1 as Tensor).toFloat64Array();
      if (w % 2 === 0) for (let ch = 0; ch < c; ch++) expect(gw1[ch * (w + 1)]).toBe(0);
    });

    it(`width ${w}: shifting the latent shifts the reconstruction`, () => {
      expectShiftEquivariant((t) => dec.apply(dec.params, t), latent, N, [1, 5]);
    });

    it(`width ${w}: output i depends exactly on the latent units whose encoder window holds spin i`, () => {
      // Which inputs the encoder's unit p reads, from its Jacobian; which latent units the
      // decoder's output i reads, from its; the second must be the transpose of the first.
      const enc = convEncoder(N, { kernel: w, channels: c, key: random.key(5) });
      const one = (f: (t: Tensor) => Tensor, p: number) => {
        const g = grad((t: Tensor) =>
          sum(
            mul(
              f(t),
              tensor(
                Float64Array.from({ length: N }, (_, j) => +(j === p)),
                [1, N],
              ),
            ),
          ),
        );
        const row = (g(tensor(latent.subarray(0, N), [1, N])) as Tensor).toFloat64Array();
        return Array.from(row, (v) => v !== 0);
      };
      for (let i = 0; i < N; i++) {
        const decReads = one((t) => dec.apply(dec.params, t), i);
        for (let p = 0; p < N; p++) expect(decReads[p]).toBe(one((t) => enc.apply(enc.params, t), p)[i]);
      }
    });
  }

  it("the autoencoder with it: one latent unit per site; the dense path's parameters unchanged", () => {
    const o = { width: 8, classifierHidden: 4, reconstructionWeight: 1, seed: 2, latent: N };
    const conv = { kind: "conv" as const, kernel: 4, channels: 2 };
    const ae = autoencoder(N, { ...o, decoder: conv });
    const x = tensor(
      Float64Array.from({ length: B * N }, (_, i) => (Math.sin(5.1 * i) > 0 ? 1 : -1)),
      [B, N],
    );
    const y = tensor(new Float64Array(B).fill(1), [B]);
    expect(Number.isFinite(ae.model.loss(ae.params, x, y).item())).toBe(true);
    expect((ae.params.dec as ConvEncoderParams).w1.shape).toEqual([2, 1, 5]);
    // An explicit dense decoder draws the same initial parameters as the default.
    const dense = autoencoder(N, { ...o, decoder: { kind: "dense" } });
    expect(dense.model.loss(dense.params, x, y).item()).toBe(
      autoencoder(N, o).model.loss(autoencoder(N, o).params, x, y).item(),
    );
    expect(() => autoencoder(N, { ...o, latent: N - 1, decoder: conv })).toThrow(PhysmlInputError);
  });

  it("config: --decoder conv with --kernel, latent equal to --sites, unknown kinds refused", () => {
    expect(resolveChainConfig({ decoder: "conv", kernel: 5 }).kernel).toBe(5);
    expect(resolveChainConfig({ encoder: "conv", decoder: "conv" }).decoder).toBe("conv");
    expect(resolveChainConfig({}).decoder).toBe("dense");
    for (const bad of [{ decoder: "conv", latent: 12 }, { decoder: "cnn" }, { decoder: "dense", kernel: 5 }])
      expect(() => resolveChainConfig(bad)).toThrow(PhysmlInputError);
  });
});
