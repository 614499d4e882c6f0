// The latent-overlap measure on known latents (σ itself, permuted, rescaled and sign-flipped,
// gives 1; a constant gives 0), and the autoencoder's loss: the cross-entropy of its logits plus
// the weighted reconstruction error.
import { tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { autoencoder, latentOverlap } from "../src/chain/autoencoder.js";
import { chainData } from "../src/chain/dataset.js";
import { nSpinChain } from "../src/chain/model.js";
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
});
