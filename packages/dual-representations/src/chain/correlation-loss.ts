// The autoencoder's correlation-function term (2002.05169's third extra loss: "a good performance
// on a 'simple' correlation function"). The latent z must reproduce simple correlation functions
// of the input through a fixed readout, and is handed only those numbers per row, never σ. With K
// term instances of couplings J_k, for a vector v of K entries:
//   energy per instance  ε(v) = −(1/K) Σ_k J_k v_k        (ε(σ) = E/K, the input's energy)
//   neighbour correlator c(v) = (1/K) Σ_k v_k v_{k+1 mod K} (neighbouring windows of the chain:
//                                                            c(σ) = (1/K) Σ_k s_k s_{k+n})
// read on the first K latent units; the term is weight × mean over rows and functions of
// (f(z) − f(σ))², so it is zero when those units are σ.
import { concat, matmul, mean, mul, slice, type Tensor, tensor } from "@physml/autodiff";
import { dualTarget } from "./autoencoder.js";

/** Which correlation functions the latent must reproduce. */
export const CORRELATION_FUNCTIONS = ["energy", "energy-nn"] as const;
export type CorrelationFunctions = (typeof CORRELATION_FUNCTIONS)[number];

/** ε(v) (and c(v) with "energy-nn") of every row of v [B, ≥ K], as [B, 1] or [B, 2]; differentiable. */
export function latentCorrelations(v: Tensor, J: Float64Array, fns: CorrelationFunctions): Tensor {
  const B = v.shape[0];
  const K = J.length;
  const head = slice(v, [0, 0], [B, K]);
  const energy = matmul(
    head,
    tensor(
      Array.from(J, (j) => -j / K),
      [K, 1],
    ),
  );
  if (fns === "energy") return energy;
  const next = concat([slice(head, [0, 1], [B, K]), slice(head, [0, 0], [B, 1])], 1);
  return concat([energy, mean(mul(head, next), 1, true)], 1);
}

/** The same functions of the input's dual variables, per row of x [B, sites], as a constant. */
export function inputCorrelations(
  inst: readonly Int32Array[],
  J: Float64Array,
  fns: CorrelationFunctions,
): (x: Tensor) => Tensor {
  const sigma = dualTarget(inst);
  return (x) => latentCorrelations(sigma(x), J, fns);
}

/**
 * Root mean square over rows and functions of f(z) − f(σ) on held-out rows: how well a latent
 * reproduces the correlation functions (reported with or without the term in the loss).
 */
export function correlationError(
  z: Float64Array,
  m: number,
  x: Float64Array,
  sites: number,
  inst: readonly Int32Array[],
  J: Float64Array,
  fns: CorrelationFunctions,
): number {
  const rows = z.length / m;
  const got = latentCorrelations(tensor(z, [rows, m]), J, fns).toFloat64Array();
  const want = inputCorrelations(inst, J, fns)(tensor(x, [rows, sites])).toFloat64Array();
  let sq = 0;
  for (let i = 0; i < got.length; i++) sq += (got[i] - want[i]) ** 2;
  return Math.sqrt(sq / got.length);
}
