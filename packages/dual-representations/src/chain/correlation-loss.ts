// The autoencoder's correlation-function term (2002.05169's third extra loss: "a good performance
// on a 'simple' correlation function"). The latent z must reproduce simple correlation functions
// of the input through a fixed readout, and is handed only those numbers per row, never σ. With K
// term instances of couplings J_k, for a vector v of K entries:
//   energy per instance  ε(v) = −(1/K) Σ_k J_k v_k        (ε(σ) = E/K, the input's energy)
//   neighbour correlator c(v) = (1/K) Σ_k v_k v_{k+1 mod K} (neighbouring windows of the chain:
//                                                            c(σ) = (1/K) Σ_k s_k s_{k+n})
// read on the first K latent units; the term is weight × mean over rows and functions of
// (f(z) − f(σ))², so it is zero when those units are σ. The fitted affine readout (`affine`)
// reads a_f f(z) + b_f instead, with a and b trained beside the network: the latent then only has
// to carry σ up to one scale and offset (z_k ≈ α σ_k + β), which a tanh unit reaches without
// saturating.
import { add, concat, matmul, mean, mul, ones, slice, type Tensor, tensor, zeros } from "@physml/autodiff";
import { dualTarget } from "./model.js";

/** Which correlation functions the latent must reproduce. */
export const CORRELATION_FUNCTIONS = ["energy", "energy-nn"] as const;
export type CorrelationFunctions = (typeof CORRELATION_FUNCTIONS)[number];

/** How the correlation functions are read from the latent (`--correlation-readout`). */
export const CORRELATION_READOUTS = ["fixed", "affine"] as const;
export type CorrelationReadout = (typeof CORRELATION_READOUTS)[number];

/** The fitted affine readout's weights: per correlation function a scale a [1, F] and offset b [1, F]. */
export interface AffineReadoutParams {
  [k: string]: Tensor;
  a: Tensor;
  b: Tensor;
}

/** ε(v) of the first K entries of each row (`head` [B, K]), as [B, 1]. */
function energyOf(head: Tensor, J: Float64Array): Tensor {
  const K = J.length;
  return matmul(
    head,
    tensor(
      Array.from(J, (j) => -j / K),
      [K, 1],
    ),
  );
}

/** c(v) of the first K entries of each row (`head` [B, K]), as [B, 1]. */
function neighbourOf(head: Tensor): Tensor {
  const [B, K] = head.shape;
  const next = concat([slice(head, [0, 1], [B, K]), slice(head, [0, 0], [B, 1])], 1);
  return mean(mul(head, next), 1, true);
}

/** The functions each choice reads, in column order: the one place that says how many there are. */
const READ: Record<CorrelationFunctions, readonly ((head: Tensor, J: Float64Array) => Tensor)[]> = {
  energy: [energyOf],
  "energy-nn": [energyOf, neighbourOf],
};

/** The affine readout's start: a = 1, b = 0, i.e. the fixed readout. */
export function affineReadoutInit(fns: CorrelationFunctions): AffineReadoutParams {
  const F = READ[fns].length;
  return { a: ones([1, F]), b: zeros([1, F]) };
}

/** a_f f_f + b_f per row of f [B, F] (the functions of {@link latentCorrelations}); differentiable. */
export function affineReadout(p: AffineReadoutParams, f: Tensor): Tensor {
  return add(mul(f, p.a), p.b);
}

/** ε(v) (and c(v) with "energy-nn") of every row of v [B, ≥ K], as [B, 1] or [B, 2]; differentiable. */
export function latentCorrelations(v: Tensor, J: Float64Array, fns: CorrelationFunctions): Tensor {
  const head = slice(v, [0, 0], [v.shape[0], J.length]);
  const cols = READ[fns].map((f) => f(head, J));
  return cols.length === 1 ? cols[0] : concat(cols, 1);
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
 * reproduces the correlation functions (reported with or without the term in the loss), through
 * the fitted readout a f(z) + b when `affine` is given.
 */
export function correlationError(
  z: Float64Array,
  m: number,
  x: Float64Array,
  sites: number,
  inst: readonly Int32Array[],
  J: Float64Array,
  fns: CorrelationFunctions,
  affine?: AffineReadoutParams,
): number {
  const rows = z.length / m;
  const f = latentCorrelations(tensor(z, [rows, m]), J, fns);
  const got = (affine ? affineReadout(affine, f) : f).toFloat64Array();
  const want = inputCorrelations(inst, J, fns)(tensor(x, [rows, sites])).toFloat64Array();
  let sq = 0;
  for (let i = 0; i < got.length; i++) sq += (got[i] - want[i]) ** 2;
  return Math.sqrt(sq / got.length);
}
