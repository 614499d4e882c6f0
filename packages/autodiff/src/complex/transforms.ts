// Transforms of functions with complex inputs or outputs, in JAX's conventions. A complex leaf is
// its pair (re, im) of real leaves, so every transform is the package's real one on the pairs;
// only the cotangents are conjugated on the way in and the gradients on the way out:
//   jvp:   the real-linear derivative, df = ∂f/∂z·dz + ∂f/∂z̄·dz̄ (nothing to convert);
//   vjp:   pullback(c) = c·∂f/∂z + c̄·conj(∂f/∂z̄), i.e. conj(Jᵀ·conj(c)) on the (re, im) pairs;
//   grad:  of a real f, pullback(1) = ∂f/∂x − i·∂f/∂y = 2·∂f/∂z (JAX: grad(|z|²)(3+4i) = 6−8i;
//          step with its conjugate to descend); with `holomorphic: true`, f′(z) of a complex f.
// Wirtinger derivatives ∂/∂z = ½(∂/∂x − i∂/∂y) and ∂/∂z̄ = ½(∂/∂x + i∂/∂y) are named helpers, and
// `ddbar` gives the batched ∂_a∂̄_b of a real potential through perSampleHessian.
import { ones, zeros } from "../core/create.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { add, mul, neg, sub } from "../ops/elementwise.js";
import { concat, slice } from "../ops/shape.js";
import { jvp, perSampleHessian } from "../transforms/forward.js";
import { vjp } from "../transforms/reverse.js";
import { ComplexTensor } from "./tensor.js";

/** A nested structure (arrays, plain objects) of complex and real tensors. */
export type ComplexTree =
  | ComplexTensor
  | Tensor
  | readonly ComplexTree[]
  | { readonly [k: string]: ComplexTree };

interface Flat {
  /** Real leaves; a complex leaf contributes re then im. */
  leaves: Tensor[];
  /** Per original leaf: complex or not. */
  complex: boolean[];
  build(leaves: readonly Tensor[]): unknown;
}

function isPlain(t: unknown): t is Record<string, unknown> {
  if (t === null || typeof t !== "object") return false;
  const p = Object.getPrototypeOf(t);
  return p === Object.prototype || p === null;
}

function flatten(tree: unknown, field: string): Flat {
  const leaves: Tensor[] = [];
  const complex: boolean[] = [];
  const walk = (t: unknown, path: string): void => {
    if (t instanceof ComplexTensor) {
      leaves.push(t.re, t.im);
      complex.push(true);
    } else if (t instanceof Tensor) {
      leaves.push(t);
      complex.push(false);
    } else if (Array.isArray(t)) {
      for (let i = 0; i < t.length; i++) walk(t[i], `${path}[${i}]`);
    } else if (isPlain(t)) {
      for (const k of Object.keys(t)) if (t[k] !== undefined) walk(t[k], `${path}.${k}`);
    } else
      throw new AutodiffInputError(
        path,
        "a ComplexTensor, a Tensor, or arrays/plain objects of them",
        typeof t,
      );
  };
  walk(tree, field);
  const build = (ls: readonly Tensor[]): unknown => {
    let i = 0;
    const rec = (t: unknown): unknown => {
      if (t instanceof ComplexTensor) {
        const c = new ComplexTensor(ls[i], ls[i + 1]);
        i += 2;
        return c;
      }
      if (t instanceof Tensor) return ls[i++];
      if (Array.isArray(t)) return t.map(rec);
      const o: Record<string, unknown> = {};
      const r = t as Record<string, unknown>;
      for (const k of Object.keys(r)) if (r[k] !== undefined) o[k] = rec(r[k]);
      return o;
    };
    return rec(tree);
  };
  return { leaves, complex, build };
}

/** Conjugates the complex leaves of a flattened list (negates each im). */
function conjLeaves(f: Flat, ls: readonly Tensor[]): Tensor[] {
  const out: Tensor[] = [];
  let i = 0;
  for (const c of f.complex) {
    if (c) {
      out.push(ls[i], neg(ls[i + 1]));
      i += 2;
    } else out.push(ls[i++]);
  }
  return out;
}

function samePattern(a: Flat, b: Flat, field: string): void {
  if (a.complex.length !== b.complex.length || a.complex.some((c, i) => c !== b.complex[i])) {
    throw new AutodiffInputError(
      field,
      "a tree with the output's structure (complex where the output is complex)",
      b.complex.map((c) => (c ? "complex" : "real")).join(","),
    );
  }
}

/** The real tangent leaves of `tree` for the primal `p` (a real tangent of a complex primal gets im = 0). */
function tangentLeaves(p: Flat, tree: unknown, field: string): Tensor[] {
  const t = flatten(tree, field);
  if (t.complex.length !== p.complex.length)
    throw new AutodiffInputError(
      field,
      `a tree with ${p.complex.length} leaves like the primal`,
      t.complex.length,
    );
  const out: Tensor[] = [];
  let i = 0;
  t.complex.forEach((c, j) => {
    if (c && !p.complex[j])
      throw new AutodiffInputError(field, "a real tangent for a real primal", "a complex tangent");
    if (c) {
      out.push(t.leaves[i], t.leaves[i + 1]);
      i += 2;
    } else {
      out.push(t.leaves[i]);
      if (p.complex[j]) out.push(zeros(t.leaves[i].shape));
      i++;
    }
  });
  return out;
}

/**
 * `jvpComplex(f, primals, tangents)` → `[f(...primals), df]`: the forward derivative of a function
 * of complex and real tensors (or trees of them). A complex primal takes a complex tangent (a real
 * one means im = 0); the output tangent has the output's structure.
 */
export function jvpComplex<R extends ComplexTree>(
  f: (...args: never[]) => R,
  primals: readonly ComplexTree[],
  tangents: readonly ComplexTree[],
): [R, R] {
  if (primals.length !== tangents.length)
    throw new AutodiffInputError(
      "jvp.tangents",
      `${primals.length} tangents (one per primal)`,
      tangents.length,
    );
  const ps = primals.map((p, k) => flatten(p, `primals[${k}]`));
  const tl = tangents.flatMap((t, k) => tangentLeaves(ps[k], t, `tangents[${k}]`));
  let outSpec: Flat | null = null;
  const g = (ls: Tensor[]): Tensor[] => {
    let i = 0;
    const args = ps.map((p) => p.build(ls.slice(i, (i += p.leaves.length))));
    outSpec = flatten((f as (...a: unknown[]) => R)(...args), "jvp output");
    return outSpec.leaves;
  };
  const [yl, dl] = jvp(g, [ps.flatMap((p) => p.leaves)], [tl]);
  const spec = outSpec as unknown as Flat;
  return [spec.build(yl) as R, spec.build(dl) as R];
}

/**
 * `vjpComplex(f, ...primals)` → `[out, pullback]`. `pullback(c)` takes a cotangent with the
 * output's structure and returns one gradient tree per primal, in JAX's convention
 * (c·∂f/∂z + c̄·conj(∂f/∂z̄) per complex input; for a holomorphic f just c·f′(z)).
 */
export function vjpComplex<A extends ComplexTree[], R extends ComplexTree>(
  f: (...args: A) => R,
  ...primals: A
): [R, (cotangent: R) => ComplexTree[]] {
  const ps = primals.map((p, k) => flatten(p, `arg${k}`));
  let outSpec: Flat | null = null;
  const g = (ls: Tensor[]): Tensor[] => {
    let i = 0;
    const args = ps.map((p) => p.build(ls.slice(i, (i += p.leaves.length))));
    outSpec = flatten(f(...(args as A)), "vjp output");
    return outSpec.leaves;
  };
  const [yl, pull] = vjp(
    g,
    ps.flatMap((p) => p.leaves),
  );
  const spec = outSpec as unknown as Flat;
  const pullback = (cot: R): ComplexTree[] => {
    const c = flatten(cot, "cotangent");
    samePattern(spec, c, "cotangent");
    const gl = pull(conjLeaves(spec, c.leaves))[0] as Tensor[];
    let i = 0;
    return ps.map((p) => p.build(conjLeaves(p, gl.slice(i, (i += p.leaves.length)))) as ComplexTree);
  };
  return [spec.build(yl) as R, pullback];
}

/** Options of `gradComplex` / `valueAndGradComplex`. */
export interface ComplexGradOptions {
  /** Which arguments to differentiate (default 0); a list gives a list of gradients. */
  argnums?: number | readonly number[];
  /**
   * JAX's `holomorphic=True`: f returns a complex scalar, every differentiated input is complex,
   * and the gradient is f′(z) (the pullback of 1). It is not checked that f is holomorphic.
   */
  holomorphic?: boolean;
}

/**
 * `valueAndGradComplex(f, opts)(...args)` → `[f(...args), gradient]`. Without `holomorphic`, f
 * must return a real scalar Tensor and the gradient of a complex input is ∂f/∂x − i·∂f/∂y
 * (= 2·∂f/∂z, JAX's convention); a real input gets its ordinary gradient.
 */
export function valueAndGradComplex<A extends ComplexTree[]>(
  f: (...args: A) => ComplexTensor | Tensor,
  opts: ComplexGradOptions = {},
): (...args: A) => [ComplexTensor | Tensor, ComplexTree | ComplexTree[]] {
  const argnums = opts.argnums ?? 0;
  const holo = opts.holomorphic ?? false;
  return (...args: A) => {
    const nums = typeof argnums === "number" ? [argnums] : [...argnums];
    for (const a of nums) {
      if (!Number.isInteger(a) || a < 0 || a >= args.length)
        throw new AutodiffInputError("argnums", `indices in [0, ${args.length - 1}]`, a);
    }
    if (holo) {
      for (const a of nums) {
        if (flatten(args[a], `arg${a}`).complex.some((c) => !c))
          throw new AutodiffInputError(`arg${a}`, "complex inputs only (holomorphic: true)", "a real tensor");
      }
    }
    const h = (...sel: ComplexTree[]) => {
      const full = [...args] as ComplexTree[];
      nums.forEach((a, i) => {
        full[a] = sel[i];
      });
      return f(...(full as A));
    };
    const [y, pull] = vjpComplex(h, ...nums.map((a) => args[a]));
    let cot: ComplexTensor | Tensor;
    if (holo) {
      if (!(y instanceof ComplexTensor) || y.size !== 1)
        throw new AutodiffInputError(
          "grad: f(...) result",
          "a complex scalar (holomorphic: true)",
          describe(y),
        );
      cot = new ComplexTensor(ones(y.shape), zeros(y.shape));
    } else {
      if (!(y instanceof Tensor) || y.size !== 1)
        throw new AutodiffInputError(
          "grad: f(...) result",
          "a real scalar Tensor (for a complex f pass holomorphic: true, or differentiate real(f) or abs2(f))",
          describe(y),
        );
      cot = ones(y.shape);
    }
    const g = pull(cot);
    return [y, typeof argnums === "number" ? g[0] : g];
  };
}

function describe(y: unknown): string {
  if (y instanceof ComplexTensor) return `a complex tensor of shape [${y.shape.join(",")}]`;
  if (y instanceof Tensor) return `a real tensor of shape [${y.shape.join(",")}]`;
  return typeof y;
}

/** `gradComplex(f, opts)(...args)`: the gradient part of `valueAndGradComplex`. */
export function gradComplex<A extends ComplexTree[]>(
  f: (...args: A) => ComplexTensor | Tensor,
  opts: ComplexGradOptions = {},
): (...args: A) => ComplexTree | ComplexTree[] {
  const vg = valueAndGradComplex(f, opts);
  return (...args: A) => vg(...args)[1];
}

/** Both Wirtinger derivatives of a scalar function (complex or real valued) of one complex tensor. */
export function wirtinger(
  f: (z: ComplexTensor) => ComplexTensor | Tensor,
): (z: ComplexTensor) => { dz: ComplexTensor; dzbar: ComplexTensor } {
  return (z: ComplexTensor) => {
    if (!(z instanceof ComplexTensor))
      throw new AutodiffInputError("wirtinger.z", "a ComplexTensor", typeof z);
    let complexOut = false;
    const [ys, pull] = vjp(
      (x: Tensor, y: Tensor) => {
        const out = f(new ComplexTensor(x, y));
        if (out instanceof ComplexTensor) {
          complexOut = true;
          return [out.re, out.im];
        }
        if (!(out instanceof Tensor))
          throw new AutodiffInputError("wirtinger: f(z)", "a scalar ComplexTensor or Tensor", typeof out);
        return [out];
      },
      z.re,
      z.im,
    );
    if (ys[0].size !== 1)
      throw new AutodiffInputError("wirtinger: f(z)", "a scalar (size-1) result", [...ys[0].shape]);
    const one = ones(ys[0].shape);
    const zero = zeros(ys[0].shape);
    // ∂u/∂x, ∂u/∂y (and ∂v/∂x, ∂v/∂y for f = u + iv)
    const [ux, uy] = pull(complexOut ? [one, zero] : [one]) as Tensor[];
    if (!complexOut) {
      return {
        dz: new ComplexTensor(mul(ux, 0.5), mul(uy, -0.5)),
        dzbar: new ComplexTensor(mul(ux, 0.5), mul(uy, 0.5)),
      };
    }
    const [vx, vy] = pull([zero, one]) as Tensor[];
    return {
      dz: new ComplexTensor(mul(add(ux, vy), 0.5), mul(sub(vx, uy), 0.5)),
      dzbar: new ComplexTensor(mul(sub(ux, vy), 0.5), mul(add(vx, uy), 0.5)),
    };
  };
}

/** ∂f/∂z = ½(∂f/∂x − i·∂f/∂y) of a scalar function of one complex tensor (shaped like z). */
export function dz(f: (z: ComplexTensor) => ComplexTensor | Tensor): (z: ComplexTensor) => ComplexTensor {
  const w = wirtinger(f);
  return (z) => w(z).dz;
}

/** ∂f/∂z̄ = ½(∂f/∂x + i·∂f/∂y) of a scalar function of one complex tensor (shaped like z). */
export function dzbar(f: (z: ComplexTensor) => ComplexTensor | Tensor): (z: ComplexTensor) => ComplexTensor {
  const w = wirtinger(f);
  return (z) => w(z).dzbar;
}

/**
 * The batched complex Hessian g_{ab̄} = ∂_a ∂̄_b K of a real potential K(z, z̄) at B points:
 * `K` maps z of shape [B, n] to K of shape [B] (points independent), and the result is complex
 * [B, n, n] (Hermitian for a real K). From the per-sample real Hessian H over (x, y) = (Re z, Im z),
 * one forward-over-reverse pass (perSampleHessian):
 *   g_{ab̄} = ¼[(H_{x_a x_b} + H_{y_a y_b}) + i(H_{x_a y_b} − H_{y_a x_b})].
 * Differentiable again (e.g. the gradient of a loss on log det g with respect to K's parameters).
 */
export function ddbar(K: (z: ComplexTensor) => Tensor): (z: ComplexTensor) => ComplexTensor {
  return (z: ComplexTensor) => {
    if (!(z instanceof ComplexTensor) || z.ndim !== 2)
      throw new AutodiffInputError(
        "ddbar.z",
        "a ComplexTensor of shape [B, n]",
        z instanceof ComplexTensor ? [...z.shape] : typeof z,
      );
    const [B, n] = z.shape;
    const H = perSampleHessian((x: Tensor) => {
      const b = x.shape[0];
      return K(new ComplexTensor(slice(x, [0, 0], [b, n]), slice(x, [0, n], [b, 2 * n])));
    })(concat([z.re, z.im], -1));
    const blk = (r: number, c: number) => slice(H, [0, r * n, c * n], [B, (r + 1) * n, (c + 1) * n]);
    const xx = blk(0, 0);
    const xy = blk(0, 1);
    const yx = blk(1, 0);
    const yy = blk(1, 1);
    return new ComplexTensor(mul(add(xx, yy), 0.25), mul(sub(xy, yx), 0.25));
  };
}
