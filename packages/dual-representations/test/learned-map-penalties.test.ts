// The head decay of a learned map against values worked out by hand: it enters the training loss
// as λ Σ(u² + v²) (bias excluded), its gradient checked against central finite differences of
// that loss and against 2λu.
import { type Tensor, tensor, valueAndGrad } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { type fitLearnedMap, headDecayPenalty } from "../src/fourier/front-end.js";
import { learnedMapModel, reals } from "./learned-map-fixtures.js";

describe("the learned map's training loss", () => {
  const N = 4;
  const B = 6;
  const labelled = { x: reals(B * N, 3), y: Float64Array.from({ length: B }, (_, i) => i % 2), n: B, d: N };
  const x = tensor(labelled.x, [B, N]);
  const y = tensor(labelled.y, [B]);
  const modelOf = (o: Parameters<typeof fitLearnedMap>[3]) => learnedMapModel(labelled, o);
  const W = tensor(
    reals(N * N, 5).map((v, i) => v * 0.3 + (i % (N + 1) === 0 ? 1 : 0)),
    [N, N],
  );
  const u0 = reals(N, 6);
  const v0 = reals(N, 7);
  const params = (u: Tensor) => ({ W, head: { u, v: tensor(v0), b: tensor(Float64Array.of(0.2)) } });
  const base = { orthogonalityWeight: 2, separationWeight: 0, initSeed: 1 };

  it("adds λ Σ(u² + v²) over the head's weights u and v, not its bias", () => {
    const plain = modelOf(base)
      .loss(params(tensor(u0)), x, y)
      .item();
    const decayed = modelOf({ ...base, headDecay: 0.7 })
      .loss(params(tensor(u0)), x, y)
      .item();
    let sq = 0;
    for (const v of [...u0, ...v0]) sq += v * v;
    expect(decayed - plain).toBeCloseTo(0.7 * sq, 12);
    expect(headDecayPenalty(params(tensor(u0)).head).item()).toBeCloseTo(sq, 12);
  });

  it("the head decay's gradient equals central finite differences of the loss", () => {
    const model = modelOf({ ...base, headDecay: 0.7 });
    const loss = (u: Tensor) => model.loss(params(u), x, y);
    const [, g] = valueAndGrad(loss)(tensor(u0));
    const grad = g.toFloat64Array();
    const [, g0] = valueAndGrad((u: Tensor) => modelOf(base).loss(params(u), x, y))(tensor(u0));
    const h = 1e-5;
    for (let i = 0; i < N; i++) {
      const up = Float64Array.from(u0);
      const down = Float64Array.from(u0);
      up[i] += h;
      down[i] -= h;
      const fd = (loss(tensor(up)).item() - loss(tensor(down)).item()) / (2 * h);
      // Truncation h²·f''' and rounding 1e−16/h are both far below 1e−7 at these scales.
      expect(Math.abs(grad[i] - fd)).toBeLessThan(1e-7);
      // The decay's share of the gradient is 2λu.
      expect(grad[i] - g0.toFloat64Array()[i]).toBeCloseTo(2 * 0.7 * u0[i], 10);
    }
  });
});
