// The per-sample input Hessian of a tanh MLP with one output, from its closed form instead of
// forward-over-reverse: the generic path pushes tangents through the backward pass too, which
// doubles the large matrix products of a step and of its gradient.
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { add, mul, tanhGrad } from "../ops/elementwise.js";
import { matmul, matmulT } from "../ops/matmul.js";
import { reshape } from "../ops/shape.js";
import { denseLayer } from "./layers.js";
import { tanhCurvature } from "./mlp-hessian-curvature.js";
import { weightedGram } from "./mlp-hessian-gram.js";
import { tanhTangent } from "./mlp-hessian-tangent.js";

/**
 * Per-sample input Hessians ∂²f(x_b)/∂x_b² of the MLP `f(x) = a_{L−1}·W_L + b_L`,
 * `a_l = tanh(a_{l−1}·W_l + b_l)`, `a_0 = x` — the parameters of {@link MLP} with the default
 * tanh hidden activation, identity output and output width 1 — for x of shape [B, d]: shape
 * [B, d, d]. Written with differentiable ops, so `grad`/`valueAndGrad` of anything built on it
 * (e.g. `mean(logdet(mlpInputHessian(p, x)))`) give the weight gradients.
 *
 * Exact closed form: with z_l the pre-activations, J_l = ∂z_l/∂x (forward tangents, [B, d, n_l])
 * and g_l = ∂f/∂a_l (the ordinary backward pass, [B, n_l]),
 * `H = Σ_l J_lᵀ · diag(g_l ⊙ tanh''(z_l)) · J_l`. Equal to `perSampleHessian` of the same
 * network up to rounding, with about half the large matrix products in a reverse pass through it.
 *
 * @throws AutodiffInputError when x is not [B, d], the layers do not chain, or the output width is
 *   not 1.
 */
export function mlpInputHessian(params: readonly { w: Tensor; b?: Tensor }[], x: Tensor): Tensor {
  checkArgs(params, x);
  const [B, d] = x.shape;
  const hidden = params.length - 1;
  // forward: each hidden layer's output a_l and the tangent of its pre-activation J_l; J_0 is
  // W_0 for every sample, kept 2-D (undefined below) so layer 0 needs no per-sample product
  const acts: Tensor[] = [];
  const tangents: (Tensor | undefined)[] = [undefined];
  let h = x;
  for (let l = 0; l < hidden; l++) {
    const { w } = params[l];
    if (l > 0) {
      // J_l = (J_{l−1} ⊙ tanh'(z_{l−1}))·W_l, one [B·d, n]·[n, n] product
      tangents.push(matmul(tanhTangent(acts[l - 1], tangents[l - 1] ?? params[0].w), w));
    }
    h = denseLayer(params[l], h, "tanh");
    acts.push(h);
  }
  // backward: g_l = ∂f/∂a_l, and each layer's term with c_l = g_l ⊙ tanh''(z_l) = −2·a_l·g_l·tanh'(z_l)
  const wOut = params[hidden].w;
  let g: Tensor = reshape(wOut, [1, wOut.shape[0]]);
  let H: Tensor | null = null;
  for (let l = hidden - 1; l >= 0; l--) {
    const a = acts[l];
    const n = a.shape[1];
    const c = tanhCurvature(a, g);
    const J = tangents[l];
    let term: Tensor;
    if (J === undefined) {
      // Σ_k c_bk·W_ik·W_jk: c·Mᵀ with M[(i,j), k] = W_ik·W_jk, one [B, n]·[n, d²] product
      const w0 = params[0].w;
      const m = reshape(mul(reshape(w0, [d, 1, n]), reshape(w0, [1, d, n])), [d * d, n]);
      term = reshape(matmulT(c, m, false, true), [B, d, d]);
    } else {
      // J·diag(c)·Jᵀ per sample
      term = weightedGram(J, c);
    }
    H = H === null ? term : add(H, term);
    if (l > 0) g = matmulT(tanhGrad(a, g), params[l].w, false, true);
  }
  return H!;
}

function checkArgs(params: readonly { w: Tensor; b?: Tensor }[], x: Tensor): void {
  if (!(x instanceof Tensor) || x.ndim !== 2)
    throw new AutodiffInputError(
      "mlpInputHessian.x",
      "a Tensor of shape [B, d]",
      x instanceof Tensor ? [...x.shape] : typeof x,
    );
  if (!Array.isArray(params) || params.length < 2)
    throw new AutodiffInputError(
      "mlpInputHessian.params",
      "at least two layers { w, b }",
      Array.isArray(params) ? params.length : typeof params,
    );
  let width = x.shape[1];
  params.forEach((p, l) => {
    const w = p?.w;
    if (!(w instanceof Tensor) || w.ndim !== 2 || w.shape[0] !== width)
      throw new AutodiffInputError(
        `mlpInputHessian.params[${l}].w`,
        `a Tensor of shape [${width}, n]`,
        w instanceof Tensor ? [...w.shape] : typeof w,
      );
    width = w.shape[1];
    if (p.b !== undefined && (!(p.b instanceof Tensor) || p.b.ndim !== 1 || p.b.shape[0] !== width))
      throw new AutodiffInputError(
        `mlpInputHessian.params[${l}].b`,
        `a Tensor of shape [${width}]`,
        p.b instanceof Tensor ? [...p.b.shape] : typeof p.b,
      );
  });
  if (width !== 1) throw new AutodiffInputError("mlpInputHessian.params", "an output width of 1", width);
}
