// The quadratic lift of a connection's features, f ↦ (f, f_i f_j for i ≤ j): what the networks see
// with `lift: "quadratic"`, and its layout, which the known connections written as parameters and
// the Galilean boosts read.
import { concat, mul, slice, type Tensor } from "@physml/autodiff";
import type { ConnectionLift } from "./zero-curvature-learn.js";

/** f ↦ (f, f_i f_j for i ≤ j): [B, m] → [B, m + m(m+1)/2] (differentiable, so the chain rule goes through). */
export function quadraticLift(f: Tensor): Tensor {
  const [B, m] = f.shape;
  const cols = Array.from({ length: m }, (_, k) => slice(f, [0, k], [B, k + 1]));
  const products: Tensor[] = [];
  for (let i = 0; i < m; i++) for (let j = i; j < m; j++) products.push(mul(cols[i], cols[j]));
  return concat([f, ...products], 1);
}

/** The number of {@link quadraticLift}'s outputs for m features. */
export const quadraticLiftInputs = (m: number): number => m + (m * (m + 1)) / 2;

/** The index of f_i f_j (i ≤ j) among {@link quadraticLift}'s outputs for m features. */
export const liftProductIndex = (m: number, i: number, j: number): number =>
  m + i * m - (i * (i - 1)) / 2 + (j - i);

/** The networks' inputs on m features under `lift`: the features, with their pairwise products when lifted. */
export const liftedInputs = (m: number, lift: ConnectionLift): number =>
  lift === "quadratic" ? quadraticLiftInputs(m) : m;
