// The latent-overlap measure on known latents (σ itself, permuted, rescaled and sign-flipped,
// gives 1; a constant gives 0), and the autoencoder's loss: the cross-entropy of its logits plus
// the weighted reconstruction error; the feature-matching term against σ computed by hand, and
// that it moves the latent onto σ where the plain loss leaves it near the spins.
import { tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { autoencoder, encodeRows, latentOverlap } from "../src/chain/autoencoder.js";
import { chainData } from "../src/chain/dataset.js";
import { dualTarget, instanceSites, nSpinChain } from "../src/chain/model.js";
import { splitRows } from "../src/train/dataset.js";
import { fitBinary } from "../src/train/fit.js";
import { bceWithLogits } from "../src/train/models.js";

describe("autoencoder pieces", () => {
  const d = chainData(nSpinChain(10, 3), 200, 5);
  const N = 10;

  it("overlap 1 for σ up to permutation, sign and scale", () => {
    const z = new Float64Array(d.dual.n * N);
    for (let r = 0; r < d.dual.n; r++)
      for (let j = 0; j < N; j++) z[r * N + j] = (j % 2 ? -3 : 0.5) * d.dual.x[r * N + ((j * 3) % N)];
    expect(latentOverlap(z, N, d.dual)).toBeCloseTo(1, 12);
  });

  it("overlap of a constant latent is 0", () => {
    expect(latentOverlap(new Float64Array(d.dual.n * 4).fill(0.3), 4, d.dual)).toBe(0);
  });

  it("at reconstruction weight 0 the loss is the cross-entropy of the logits", () => {
    const ae = autoencoder(N, { latent: 6, width: 8, classifierHidden: 4, reconstructionWeight: 0, seed: 1 });
    const x = tensor(d.original.x.subarray(0, 20 * N), [20, N]);
    const y = tensor(d.original.y.subarray(0, 20), [20]);
    const want = bceWithLogits(ae.model.logits(ae.params, x), y).item();
    expect(ae.model.loss(ae.params, x, y).item()).toBeCloseTo(want, 12);
    const withRec = autoencoder(N, {
      latent: 6,
      width: 8,
      classifierHidden: 4,
      reconstructionWeight: 1,
      seed: 1,
    });
    expect(withRec.model.loss(withRec.params, x, y).item()).toBeGreaterThan(want);
  });

  const inst = instanceSites(nSpinChain(N, 3));

  it("dualTarget gives the dual rows of the data set", () => {
    const rows = 30;
    const t = dualTarget(inst)(tensor(d.original.x.subarray(0, rows * N), [rows, N])).toFloat64Array();
    expect(Array.from(t)).toEqual(Array.from(d.dual.x.subarray(0, rows * N)));
  });

  it("the feature-matching term is weight × mean (z_k − σ_k)² over the first K latent units", () => {
    const o = { latent: 12, width: 8, classifierHidden: 4, reconstructionWeight: 1, seed: 3 };
    const rows = 20;
    const x = tensor(d.original.x.subarray(0, rows * N), [rows, N]);
    const y = tensor(d.original.y.subarray(0, rows), [rows]);
    const plain = autoencoder(N, o);
    const matched = autoencoder(N, { ...o, featureMatching: { weight: 2.5, target: dualTarget(inst) } });
    const z = plain.encode(plain.params, x).toFloat64Array();
    let sq = 0;
    for (let r = 0; r < rows; r++)
      for (let k = 0; k < N; k++) sq += (z[r * o.latent + k] - d.dual.x[r * N + k]) ** 2;
    const want = plain.model.loss(plain.params, x, y).item() + (2.5 * sq) / (rows * N);
    expect(matched.model.loss(matched.params, x, y).item()).toBeCloseTo(want, 12);
  });

  it("training with feature matching puts σ in the latent; without it the latent stays off σ", () => {
    // n = 2 (σ_k = s_k s_k+1): enough stable states of 10 sites for a held-out split.
    const chain = nSpinChain(N, 2);
    const data = chainData(chain, 200, 5);
    const split = splitRows(data.original, 0.8, 1);
    const dual = splitRows(data.dual, 0.8, 1).test;
    const heldOut = (weight: number) => {
      const ae = autoencoder(N, {
        latent: N,
        width: 64,
        classifierHidden: 8,
        reconstructionWeight: 1,
        seed: 7,
        featureMatching: { weight, target: dualTarget(instanceSites(chain)) },
      });
      const res = fitBinary(ae.model, ae.params, split, { epochs: 60, batch: 32, lr: 1e-2, seed: 2 });
      const z = encodeRows(ae.encode, res.params, split.test);
      let sq = 0;
      for (let i = 0; i < z.length; i++) sq += (z[i] - dual.x[i]) ** 2;
      return { overlap: latentOverlap(z, N, dual), mse: sq / z.length };
    };
    const matched = heldOut(5);
    const plain = heldOut(0);
    // Held-out rows: the matched latent is σ up to a small error, the plain one is not σ at all.
    expect(matched.mse).toBeLessThan(0.5);
    expect(plain.mse).toBeGreaterThan(1);
    expect(matched.overlap).toBeGreaterThan(0.75);
    expect(plain.overlap).toBeLessThan(0.5);
  });
});
