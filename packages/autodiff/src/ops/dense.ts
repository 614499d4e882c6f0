// A dense layer act(x·W + b) as one primitive, act = tanh or identity. Unfused, the layer makes
// three arrays of the output's size (x·W, + b, tanh), two of them saved on the tape only to be
// garbage, and passes over them twice more; here the matrix product's kernel adds the bias and
// applies tanh to each block of C while it is still in cache (kernels/matmul.ts). The arithmetic
// and the derivative rules are exactly those of matmul, add and tanh in sequence (the same ops on
// the same values), so the result and every derivative of any order are identical, bit for bit,
// to the unfused composition.
import { bind, type Primitive } from "../core/bind.js";
import { allocUninit } from "../core/create.js";
import { onPoolRelease } from "../core/pool.js";
import { definePrimitive } from "../core/registry.js";
import { Tensor } from "../core/tensor.js";
import { matmulStats } from "../kernels/matmul.js";
import { wasmDenseBackward } from "../kernels/wasm-dense-backward.js";
import { forgetKept } from "../kernels/wasm-kept.js";
import { alignFront, exampleRank, toFront } from "./batching.js";
import { add, tanh, tanhGrad } from "./elementwise.js";
import { denseOutput, type MP, matmulImpl, matmulJvp, matmulT, matmulVjp } from "./matmul.js";
import { addT, alignT, fitT, sumTo } from "./util.js";

export type DenseActivation = "tanh" | "identity";
interface DP {
  act: DenseActivation;
}
const PLAIN: MP = { ta: false, tb: false };

// dense layers read the copies the product module keeps of their inputs and cotangents; an array
// back in the pool may be rewritten, so its copies are stale
onPoolRelease(forgetKept);

const P_DENSE: Primitive<DP> = definePrimitive({
  name: "dense",
  // the product's kernel applies bias and activation to each block of C before copying it out
  impl: ([x, w, b], { act }) => matmulImpl([x, w], PLAIN, { bias: b._data!, tanh: act === "tanh" }),
  // matmul's JVP, then add's (the bias tangent aligned and broadcast), then tanh's
  jvp([x, w, b], [tx, tw, tb], out, { act }, nb) {
    const tz = matmulJvp(x, w, tx, tw, out.shape, PLAIN, nb);
    const ta = fitT(addT(tz, tb && alignT(tb, b.ndim, out.ndim, nb)), out.shape, nb);
    if (ta === null) return null;
    return act === "tanh" ? tanhGrad(out, ta) : ta;
  },
  // tanh's VJP, then add's (the bias gets the sum over rows), then matmul's; on concrete operands
  // all of it in one pass through the product module (same kernels, same bits)
  vjp(g, [x, w, b], out, { act }, need) {
    const fused = concreteBackward(g, x, w, b, act === "tanh" ? out : null, need);
    if (fused !== null) return fused;
    const ga = act === "tanh" ? tanhGrad(out, g) : g;
    const [gx, gw] = need[0] || need[1] ? matmulVjp(ga, x, w, PLAIN, need) : [null, null];
    return [gx, gw, need[2] ? sumTo(ga, b.shape) : null];
  },
  // mapped inputs only: the same fused layer on the stacked rows; mapped weights: the unfused
  // composition, batched like matmul, add and tanh
  batch([x, w, b], [bx, bw, bb], p) {
    if (bw === null && bb === null) return [bind(P_DENSE, [toFront(x, bx!), w, b], p), 0];
    const n = exampleRank(x, bx);
    const z = add(matmulT(alignFront(x, bx, n), alignFront(w, bw, n)), alignFront(b, bb, n));
    return [p.act === "tanh" ? tanh(z) : z, 0];
  },
});

/**
 * The VJP of concrete operands (no transform watching the rule, Float64) through
 * kernels/wasm-dense-backward.ts, or null to compose the ops (under a transform, so it sees and
 * differentiates them, or without WebAssembly SIMD).
 */
function concreteBackward(
  g: Tensor,
  x: Tensor,
  w: Tensor,
  b: Tensor,
  y: Tensor | null,
  need: readonly boolean[],
): [Tensor | null, Tensor | null, Tensor | null] | null {
  for (const t of [g, x, w, y]) if (t !== null && (t._trace !== null || t.dtype !== "float64")) return null;
  const [I, O] = w.shape;
  const R = x.size / I;
  if (R * I * O < FUSED_MIN_WORK || g.size !== R * O) return null;
  // gx where the worker threads write their blocks of it (resident in the product module's memory,
  // or shared): it is the cotangent the layer below reads
  const gx = need[0] ? denseOutput(R, I) : null;
  const gW = need[1] ? allocUninit("float64", I * O) : null;
  const gb = need[2] ? allocUninit("float64", O) : null;
  const ok = wasmDenseBackward(g._data!, y?._data ?? null, x._data!, w._data!, R, I, O, { gx, gW, gb });
  if (!ok) return null;
  matmulStats.flops += 2 * R * I * O * ((gx ? 1 : 0) + (gW ? 1 : 0));
  return [gx && Tensor._of(gx, x.shape), gW && Tensor._of(gW, w.shape), gb && Tensor._of(gb, b.shape)];
}
/** Below this many multiply-adds the composed rules' JavaScript kernels are as quick. */
const FUSED_MIN_WORK = 8192;

/**
 * act(x·W + b) for x of shape [..., in] (ndim ≥ 2), W [in, out], b [out], all Float64 — the same
 * values and derivatives as `act(add(matmul(x, W), b))`; callers check the shapes (nn/layers.ts).
 */
export function dense(x: Tensor, w: Tensor, b: Tensor, act: DenseActivation): Tensor {
  return bind(P_DENSE, [x, w, b], { act });
}

/** Whether `dense` applies (shapes and dtypes as it requires); otherwise compose the ops. */
export function denseApplies(x: Tensor, w: Tensor, b: Tensor): boolean {
  return (
    x instanceof Tensor &&
    w instanceof Tensor &&
    b instanceof Tensor &&
    x.ndim >= 2 &&
    w.ndim === 2 &&
    b.ndim === 1 &&
    x.shape[x.ndim - 1] === w.shape[0] &&
    b.shape[0] === w.shape[1] &&
    x.dtype === "float64" &&
    w.dtype === "float64" &&
    b.dtype === "float64"
  );
}
