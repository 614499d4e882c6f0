// Lattice convolutions: conv2d / conv1d (stride 1, output the size of the input, circular or zero
// padding, channel mixing) with spatial masks (PixelCNN type A / B, or any 0/1 pattern).
// Two primitives, each with its JVP and VJP written in ops, so every derivative order works:
//   conv(x, w)   y[n, co, p] = Σ_{ci, t ∈ mask} w[co, ci, t]·x[n, ci, p + off(t)]
//   convW(x, g)  dw[co, ci, t] = Σ_{n, p} g[n, co, p]·x[n, ci, p + off(t)]   (zero off the mask)
// Both are bilinear. The input adjoint of conv is conv itself with the kernel flipped in space
// and its channel axes swapped (off(flip t) = −off(t) for odd kernels, for either padding).
import { bind, type Primitive } from "../core/bind.js";
import { allocUninit } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { convForward, convWeightGrad } from "../kernels/conv.js";
import type { ConvGeom } from "../kernels/types.js";
import { loopBatch, toFront } from "./batching.js";
import { add, mul, tanh, tanhGrad } from "./elementwise.js";
import { gather } from "./indexing.js";
import { matmul } from "./matmul.js";
import { moveAxis, reshape, transpose } from "./shape.js";
import { addT, fitT, sumTo } from "./util.js";

export type ConvPadding = "circular" | "zeros";
/** PixelCNN masks: type "A" sees the sites strictly before the centre in raster order, "B" the centre too. */
export type ConvMaskType = "A" | "B";

interface CP {
  kh: number;
  kw: number;
  taps: Int32Array;
  circular: boolean;
}

function geom(x: Tensor, co: number, p: CP): ConvGeom {
  const [N, Ci, H, W] = x.shape;
  return { N, Ci, Co: co, H, W, kh: p.kh, kw: p.kw, taps: p.taps, circular: p.circular };
}

/** The same taps seen from the other end: t = a·kw + b ↦ (kh−1−a)·kw + (kw−1−b) = kh·kw − 1 − t. */
function flipParams(p: CP): CP {
  const K = p.kh * p.kw;
  const taps = Int32Array.from(p.taps, (t) => K - 1 - t).sort();
  return { ...p, taps };
}

/** w[Co, Ci, kh, kw] ↦ w'[Ci, Co, kh, kw] with w'[ci, co, t] = w[co, ci, flip t]. */
function flipT(w: Tensor): Tensor {
  const [co, ci, kh, kw] = w.shape;
  const K = kh * kw;
  const rev = Array.from({ length: K }, (_, i) => K - 1 - i);
  const f = gather(reshape(w, [co, ci, K]), rev, 2);
  return reshape(transpose(f, [1, 0, 2]), [ci, co, kh, kw]);
}

/** [...batch, ...rest] → [prod(batch), ...rest]. */
const flatLead = (t: Tensor, nb: number): Tensor => reshape(t, [-1, ...t.shape.slice(nb)]);

/** conv's JVP: the tangent of y = conv(x, w) [outShape] from tx and tw (nb batch dims). */
function convJvp(
  x: Tensor,
  w: Tensor,
  tx: Tensor | null,
  tw: Tensor | null,
  outShape: readonly number[],
  p: CP,
  nb: number,
): Tensor | null {
  const lead = (tx ?? tw)!.shape.slice(0, nb);
  let a: Tensor | null = null;
  let b: Tensor | null = null;
  if (nb === 0) return addT(tx && conv(fitT(tx, x.shape, 0)!, w, p), tw && conv(x, fitT(tw, w.shape, 0)!, p));
  if (tx) {
    // the tangent batch joins the sample axis
    const t = flatLead(fitT(tx, x.shape, nb)!, nb);
    a = reshape(conv(reshape(t, [-1, ...x.shape.slice(1)]), w, p), [...lead, ...outShape]);
  }
  if (tw) {
    // the tangent batch joins the output-channel axis: [B·Co, Ci, kh, kw] → y [N, B·Co, H, W]
    const t = reshape(fitT(tw, w.shape, nb)!, [-1, ...w.shape.slice(1)]);
    const [N, Co, H, W] = outShape;
    const y = reshape(conv(x, t, p), [N, -1, Co, H, W]);
    b = reshape(moveAxis(y, 1, 0), [...lead, ...outShape]);
  }
  return addT(a, b);
}

const P_CONV: Primitive<CP> = definePrimitive({
  name: "conv2d",
  impl([x, w], p) {
    const g = geom(x, w.shape[0], p);
    const y = allocUninit(x.dtype, g.N * g.Co * g.H * g.W);
    convForward(x._data!, w._data!, y, g);
    return Tensor._of(y, [g.N, g.Co, g.H, g.W]);
  },
  jvp: ([x, w], [tx, tw], out, p, nb) => convJvp(x, w, tx, tw, out.shape, p, nb),
  vjp(g, [x, w], _o, p, need) {
    return [need[0] ? conv(g, flipT(w), flipParams(p)) : null, need[1] ? convW(x, g, p) : null];
  },
  // mapped x: the examples join the sample axis; mapped w: the output channels; both: a loop
  batch([x, w], [bx, bw], p, n) {
    if (bx !== null && bw !== null) return loopBatch(P_CONV, [x, w], [bx, bw], p, n);
    if (bx !== null) {
      const xf = toFront(x, bx);
      return [
        reshape(conv(reshape(xf, [-1, ...xf.shape.slice(2)]), w, p), [
          n,
          xf.shape[1],
          w.shape[0],
          ...xf.shape.slice(3),
        ]),
        0,
      ];
    }
    const wf = toFront(w, bw!);
    const y = conv(x, reshape(wf, [-1, ...wf.shape.slice(2)]), p);
    return [reshape(y, [x.shape[0], n, wf.shape[1], ...x.shape.slice(2)]), 1];
  },
});

const P_CONV_W: Primitive<CP> = definePrimitive({
  name: "conv2dWeightGrad",
  impl([x, g], p) {
    const geo = geom(x, g.shape[1], p);
    const dw = allocUninit(x.dtype, geo.Co * geo.Ci * p.kh * p.kw);
    convWeightGrad(x._data!, g._data!, dw, geo);
    return Tensor._of(dw, [geo.Co, geo.Ci, p.kh, p.kw]);
  },
  jvp([x, g], [tx, tg], out, p, nb) {
    const lead = (tx ?? tg)!.shape.slice(0, nb);
    const [Co, Ci, kh, kw] = out.shape;
    if (nb === 0)
      return addT(tx && convW(fitT(tx, x.shape, 0)!, g, p), tg && convW(x, fitT(tg, g.shape, 0)!, p));
    let a: Tensor | null = null;
    let b: Tensor | null = null;
    if (tx) {
      // the tangent batch joins the input channels: [B, N, Ci, ·] → [N, B·Ci, ·]
      const t = flatLead(fitT(tx, x.shape, nb)!, nb);
      const [N, , H, W] = x.shape;
      const tc = reshape(moveAxis(t, 0, 1), [N, -1, H, W]);
      const d = reshape(convW(tc, g, p), [Co, -1, Ci, kh, kw]);
      a = reshape(moveAxis(d, 1, 0), [...lead, ...out.shape]);
    }
    if (tg) {
      // … and into the output channels for g: [B, N, Co, ·] → [N, B·Co, ·]
      const t = flatLead(fitT(tg, g.shape, nb)!, nb);
      const [N, , H, W] = g.shape;
      const tc = reshape(moveAxis(t, 0, 1), [N, -1, H, W]);
      b = reshape(convW(x, tc, p), [...lead, ...out.shape]);
    }
    return addT(a, b);
  },
  vjp(gw, [x, g], _o, p, need) {
    // ⟨gw, convW(x, g)⟩ = ⟨g, conv(x, gw)⟩ = ⟨x, conv(g, flipT(gw))⟩
    return [need[0] ? conv(g, flipT(gw), flipParams(p)) : null, need[1] ? conv(x, gw, p) : null];
  },
  // mapped x: the examples join the input channels; mapped g: the output channels; both: a loop
  batch([x, g], [bx, bg], p, n) {
    if (bx !== null && bg !== null) return loopBatch(P_CONV_W, [x, g], [bx, bg], p, n);
    if (bx !== null) {
      const xf = moveAxis(toFront(x, bx), 0, 1); // [N, n, Ci, H, W]
      const [N, , Ci, H, W] = xf.shape;
      const d = convW(reshape(xf, [N, n * Ci, H, W]), g, p); // [Co, n·Ci, kh, kw]
      return [reshape(d, [d.shape[0], n, Ci, p.kh, p.kw]), 1];
    }
    const gf = moveAxis(toFront(g, bg!), 0, 1); // [N, n, Co, H, W]
    const [N, , Co, H, W] = gf.shape;
    const d = convW(x, reshape(gf, [N, n * Co, H, W]), p); // [n·Co, Ci, kh, kw]
    return [reshape(d, [n, Co, x.shape[1], p.kh, p.kw]), 0];
  },
});

const conv = (x: Tensor, w: Tensor, p: CP): Tensor => bind(P_CONV, [x, w], p);
const convW = (x: Tensor, g: Tensor, p: CP): Tensor => bind(P_CONV_W, [x, g], p);

/** A convolution layer's parameters: the convolution's, and the activation after the bias. */
interface LP extends CP {
  tanh: boolean;
}

// act(conv(x, w) + b) as one primitive, act = tanh or the identity, for x [N, Ci, H, W] and
// b [Co]. Unfused, the layer makes three arrays of the output's size (conv, + b, tanh) and passes
// over them twice more; here the convolution kernel adds the bias to each finished sum and applies
// tanh to each block of samples while it is in cache (kernels/wasm-conv.ts). The arithmetic and
// the derivative rules are those of conv, add and tanh in sequence, so values and derivatives of
// every order are the unfused composition's, bit for bit.
const P_CONV_LAYER: Primitive<LP> = definePrimitive({
  name: "conv2dLayer",
  impl([x, w, b], p) {
    const g = geom(x, w.shape[0], p);
    const y = allocUninit(x.dtype, g.N * g.Co * g.H * g.W);
    convForward(x._data!, w._data!, y, g, { bias: b._data!, tanh: p.tanh });
    return Tensor._of(y, [g.N, g.Co, g.H, g.W]);
  },
  // conv's JVP, then add's (the bias tangent as [Co, 1, 1], broadcast), then tanh's
  jvp([x, w, b], [tx, tw, tb], out, p, nb) {
    const tz = tx || tw ? convJvp(x, w, tx, tw, out.shape, p, nb) : null;
    const tbc = tb && reshape(tb, [...tb.shape.slice(0, nb), b.shape[0], 1, 1]);
    const ta = fitT(addT(tz, tbc && fitT(tbc, out.shape, nb)), out.shape, nb);
    if (ta === null) return null;
    return p.tanh ? tanhGrad(out, ta) : ta;
  },
  // tanh's VJP, then add's (the bias gets the sum over samples and sites), then conv's
  vjp(g, [x, w, b], out, p, need) {
    const ga = p.tanh ? tanhGrad(out, g) : g;
    return [
      need[0] ? conv(ga, flipT(w), flipParams(p)) : null,
      need[1] ? convW(x, ga, p) : null,
      need[2] ? reshape(sumTo(ga, [b.shape[0], 1, 1]), b.shape) : null,
    ];
  },
  // mapped x only: the examples join the sample axis of the fused layer; otherwise a loop
  batch([x, w, b], [bx, bw, bb], p, n) {
    if (bw !== null || bb !== null) return loopBatch(P_CONV_LAYER, [x, w, b], [bx, bw, bb], p, n);
    const xf = toFront(x, bx!);
    const y = bind(P_CONV_LAYER, [reshape(xf, [-1, ...xf.shape.slice(2)]), w, b], p);
    return [reshape(y, [n, xf.shape[1], ...y.shape.slice(1)]), 0];
  },
});

/** The 0/1 spatial mask [kh, kw] of a PixelCNN type-A or type-B convolution (raster order). */
export function convMask(kh: number, kw: number, type: ConvMaskType): number[][] {
  if (type !== "A" && type !== "B") throw new AutodiffInputError("convMask.type", '"A" or "B"', type);
  const rh = kh >> 1;
  const rw = kw >> 1;
  return Array.from({ length: kh }, (_, a) =>
    Array.from({ length: kw }, (_, b) => (a < rh || (a === rh && (type === "B" ? b <= rw : b < rw)) ? 1 : 0)),
  );
}

export interface Conv2dOptions {
  /** Boundary: "circular" (periodic lattice) or "zeros" (default "circular"). */
  padding?: ConvPadding;
  /** Spatial mask: PixelCNN type "A" / "B", or a 0/1 pattern [kh][kw]; default all taps. */
  mask?: ConvMaskType | readonly (readonly number[])[];
  /** Added per output channel, shape [Co]. */
  bias?: Tensor;
  /**
   * Applied last (default "identity"): `activation: "tanh"` gives tanh(conv2d(…)) with the same
   * values and derivatives, computed in one pass with the bias when there is one.
   */
  activation?: "identity" | "tanh";
}

function tapsOf(kh: number, kw: number, mask: Conv2dOptions["mask"], field: string): Int32Array {
  if (mask === undefined) return Int32Array.from({ length: kh * kw }, (_, i) => i);
  const m: readonly (readonly number[])[] = typeof mask === "string" ? convMask(kh, kw, mask) : mask;
  if (
    !Array.isArray(m as unknown) ||
    m.length !== kh ||
    m.some((r) => !Array.isArray(r as unknown) || r.length !== kw)
  ) {
    throw new AutodiffInputError(field, `"A", "B" or a ${kh}×${kw} array of 0/1`, typeof mask);
  }
  const taps: number[] = [];
  m.forEach((r, a) => {
    r.forEach((v, b) => {
      if (v !== 0 && v !== 1) throw new AutodiffInputError(field, "entries 0 or 1", v);
      if (v === 1) taps.push(a * kw + b);
    });
  });
  return Int32Array.from(taps);
}

/**
 * 2-D cross-correlation of x [N, Ci, H, W] (or [Ci, H, W]) with w [Co, Ci, kh, kw], stride 1,
 * output [N, Co, H, W]: y[n, co, i, j] = Σ w[co, ci, a, b]·x[n, ci, i + a − kh//2, j + b − kw//2]
 * (+ bias[co]), then the activation, indices wrapped (circular) or zero outside. Kernel sizes
 * must be odd and at most the lattice size. A mask zeroes taps: the result equals conv2d with
 * w·mask, and the masked taps are skipped rather than multiplied by zero. With a bias (of the
 * same dtype as x and w) the bias and activation are applied by the convolution itself.
 */
export function conv2d(x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  if (!(x instanceof Tensor) || !(w instanceof Tensor))
    throw new AutodiffInputError("conv2d", "Tensors x and w", typeof (x instanceof Tensor ? w : x));
  const single = x.ndim === 3;
  if (x.ndim !== 4 && !single)
    throw new AutodiffInputError("conv2d.x", "shape [N, Ci, H, W] or [Ci, H, W]", [...x.shape]);
  const xs = single ? reshape(x, [1, ...x.shape]) : x;
  const [, Ci, H, W] = xs.shape;
  if (w.ndim !== 4 || w.shape[1] !== Ci)
    throw new AutodiffInputError("conv2d.w", `shape [Co, ${Ci}, kh, kw]`, [...w.shape]);
  const [Co, , kh, kw] = w.shape;
  if (kh % 2 !== 1 || kw % 2 !== 1 || kh > H || kw > W)
    throw new AutodiffInputError("conv2d.w", `odd kernel sizes at most the lattice ${H}×${W}`, [kh, kw]);
  const padding = opts.padding ?? "circular";
  if (padding !== "circular" && padding !== "zeros")
    throw new AutodiffInputError("conv2d.padding", '"circular" or "zeros"', padding);
  const p: CP = { kh, kw, taps: tapsOf(kh, kw, opts.mask, "conv2d.mask"), circular: padding === "circular" };
  const act = opts.activation ?? "identity";
  if (act !== "identity" && act !== "tanh")
    throw new AutodiffInputError("conv2d.activation", '"identity" or "tanh"', act);
  let y: Tensor;
  if (opts.bias !== undefined) {
    if (!(opts.bias instanceof Tensor) || opts.bias.ndim !== 1 || opts.bias.shape[0] !== Co)
      throw new AutodiffInputError(
        "conv2d.bias",
        `shape [${Co}]`,
        opts.bias instanceof Tensor ? [...opts.bias.shape] : typeof opts.bias,
      );
  }
  if (opts.bias !== undefined && xs.dtype === w.dtype && opts.bias.dtype === w.dtype) {
    y = bind(P_CONV_LAYER, [xs, w, opts.bias], { ...p, tanh: act === "tanh" });
  } else {
    y = conv(xs, w, p);
    if (opts.bias !== undefined) y = add(y, reshape(opts.bias, [Co, 1, 1]));
    if (act === "tanh") y = tanh(y);
  }
  return single ? reshape(y, y.shape.slice(1)) : y;
}

export interface Conv1dOptions {
  padding?: ConvPadding;
  /** Causal masks: "A" sees the sites strictly before, "B" the site too; or a 0/1 pattern [k]. */
  mask?: ConvMaskType | readonly number[];
  bias?: Tensor;
}

/**
 * 1-D cross-correlation of x [N, Ci, L] (or [Ci, L]) with w [Co, Ci, k], stride 1, output
 * [N, Co, L]; the 2-D convolution with a kernel of height 1.
 */
export function conv1d(x: Tensor, w: Tensor, opts: Conv1dOptions = {}): Tensor {
  if (!(x instanceof Tensor) || !(w instanceof Tensor))
    throw new AutodiffInputError("conv1d", "Tensors x and w", typeof (x instanceof Tensor ? w : x));
  if (x.ndim !== 3 && x.ndim !== 2)
    throw new AutodiffInputError("conv1d.x", "shape [N, Ci, L] or [Ci, L]", [...x.shape]);
  if (w.ndim !== 3) throw new AutodiffInputError("conv1d.w", "shape [Co, Ci, k]", [...w.shape]);
  const m = opts.mask;
  const mask2 = m === undefined ? undefined : typeof m === "string" ? [convMask(1, w.shape[2], m)[0]] : [m];
  const x4 = reshape(x, [...x.shape.slice(0, -1), 1, x.shape[x.ndim - 1]]);
  const w4 = reshape(w, [w.shape[0], w.shape[1], 1, w.shape[2]]);
  const y = conv2d(x4, w4, { padding: opts.padding, mask: mask2, bias: opts.bias });
  return reshape(y, [...y.shape.slice(0, -2), y.shape[y.ndim - 1]]);
}

/**
 * MADE masks for a dense autoregressive map of n inputs through hidden widths to n·k outputs:
 * degrees 1…n on the inputs, cyclic degrees 1…n−1 on hidden units, so output block i (entries
 * i·k … i·k + k − 1, in `outputsPerSite` = k blocks laid out site-major) depends on inputs < i only.
 * Returns one [in, out] 0/1 array per layer, for `MaskedLinear`.
 */
export function madeMasks(n: number, hidden: readonly number[], outputsPerSite = 1): number[][][] {
  if (!Number.isInteger(n) || n < 1) throw new AutodiffInputError("madeMasks.n", "an integer >= 1", n);
  const degIn = Array.from({ length: n }, (_, i) => i + 1);
  const degs: number[][] = [degIn];
  for (const h of hidden) {
    if (!Number.isInteger(h) || h < 1) throw new AutodiffInputError("madeMasks.hidden", "integers >= 1", h);
    degs.push(Array.from({ length: h }, (_, j) => (n > 1 ? (j % (n - 1)) + 1 : 0)));
  }
  const masks: number[][][] = [];
  for (let l = 0; l + 1 < degs.length; l++) {
    masks.push(degs[l].map((d) => degs[l + 1].map((e) => (e >= d ? 1 : 0))));
  }
  const last = degs[degs.length - 1];
  const degOut = Array.from({ length: n * outputsPerSite }, (_, o) => Math.floor(o / outputsPerSite) + 1);
  masks.push(last.map((d) => degOut.map((e) => (e > d ? 1 : 0))));
  return masks;
}

/** x·(W∘M) (+ b) for x [..., in], W and the 0/1 mask M [in, out]: a masked dense layer. */
export function maskedLinear(x: Tensor, w: Tensor, mask: Tensor, b?: Tensor): Tensor {
  const y = matmul(x, mul(w, mask));
  return b ? add(y, b) : y;
}
