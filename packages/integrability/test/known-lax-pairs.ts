// The known Lax pairs the tests check the loss and the evaluation against: the harmonic
// oscillator's L = [[p, q], [q, −p]], M = ½[[0, 1], [−1, 0]] and Flaschka's pair of the periodic
// Toda lattice (3 particles), as batched maps x [B, d] → [B, n, n] in differentiable ops.
import { exp, reshape, slice, stack, type Tensor, zeros } from "@physml/autodiff";

/** Column i of a batch of states x [B, d], as [B]. */
export const col = (x: Tensor, i: number): Tensor =>
  reshape(slice(x, [0, i], [x.shape[0], i + 1]), [x.shape[0]]);

/** The batch of n×n matrices [B, n, n] with the given entries (each [B]). */
export const matrix = (entries: Tensor[][]): Tensor => {
  const n = entries.length;
  return reshape(stack(entries.flat(), 1), [entries[0][0].shape[0], n, n]);
};

/** The oscillator's pair (H = (q² + p²)/2). */
export const hoPair = {
  size: 2,
  L: (x: Tensor) => {
    const [q, p] = [col(x, 0), col(x, 1)];
    return matrix([
      [p, q],
      [q, p.neg()],
    ]);
  },
  M: (x: Tensor) => {
    const z = zeros([x.shape[0]]);
    return matrix([
      [z, z.add(0.5)],
      [z.add(-0.5), z],
    ]);
  },
};

/** Flaschka's a_i = ½ exp((q_i − q_{i+1})/2) for 3 particles. */
export const flaschkaA = (x: Tensor) =>
  [0, 1, 2].map((i) =>
    exp(
      col(x, i)
        .sub(col(x, (i + 1) % 3))
        .mul(0.5),
    ).mul(0.5),
  );

/** Flaschka's pair of the periodic Toda lattice, 3 particles (H = Σp²/2 + Σe^{q_i − q_{i+1}}). */
export const flaschka3 = {
  size: 3,
  L: (x: Tensor) => {
    const a = flaschkaA(x);
    const b = [0, 1, 2].map((i) => col(x, 3 + i).mul(-0.5));
    return matrix([
      [b[0], a[0], a[2]],
      [a[0], b[1], a[1]],
      [a[2], a[1], b[2]],
    ]);
  },
  M: (x: Tensor) => {
    const a = flaschkaA(x);
    const z = zeros([x.shape[0]]);
    return matrix([
      [z, a[0].neg(), a[2]],
      [a[0], z, a[1].neg()],
      [a[2].neg(), a[1], z],
    ]);
  },
};
