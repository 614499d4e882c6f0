// The algebraic model with a learned H (cymetric's "algebraic" model; Headrick–Nassar's optimal
// metrics): K = (1/πk) log sᵀ G s̄ with G trained on the Monge–Ampère loss instead of balanced.
// Every such G gives a Kähler metric in the hyperplane class, and the same potential in every
// chart, so 𝓛_dJ and 𝓛_T vanish identically and Vol_K is fixed. Parametrisation: G = S Y S
// with S = diag(√G⁰_αα) from the starting metric (usually balanced), so Y starts with a unit
// diagonal and Adam sees entries of comparable size; Y is Hermitian with only the entries the
// phase symmetries allow (phase-symmetry.ts), stored as the real and imaginary parts of the
// upper triangle.
import type { SplitMatrix } from "../complex.js";
import type { AlgebraicMetric } from "../donaldson/algebraic-metric.js";
import type { SectionBasis } from "../donaldson/sections.js";
import type { Quintic } from "../geometry/quintic.js";
import { allowedEntries } from "./phase-symmetry.js";

/** A learned-H model: basis, allowed entries, the fixed scaling and the trained parameters. */
export interface LearnedH {
  basis: SectionBasis;
  /** Allowed upper-triangle entries, flat (α, β) pairs with α ≤ β. */
  entries: Int32Array;
  /** S = diag(scale). */
  scale: Float64Array;
  /** Parameters: Re Y on `entries`, then Im Y on `entries` (Im of diagonal entries unused, kept 0). */
  y: Float64Array;
}

/** Number of (α, β) pairs of a model. */
export function entryCount(model: LearnedH): number {
  return model.entries.length / 2;
}

/** A learned-H model starting at the metric `start` (projected onto the symmetric entries). */
export function learnedH(q: Quintic, start: AlgebraicMetric, symmetric = true): LearnedH {
  const { basis, G } = start;
  const N = basis.size;
  const entries = allowedEntries(q, basis, symmetric);
  const P = entries.length / 2;
  const scale = new Float64Array(N);
  for (let a = 0; a < N; a++) scale[a] = Math.sqrt(G.re[a * N + a]);
  const y = new Float64Array(2 * P);
  for (let e = 0; e < P; e++) {
    const a = entries[2 * e];
    const b = entries[2 * e + 1];
    const f = 1 / (scale[a] * scale[b]);
    y[e] = G.re[a * N + b] * f;
    y[P + e] = a === b ? 0 : G.im[a * N + b] * f;
  }
  return { basis, entries, scale, y };
}

/** G = S Y S of the model (parameters `y`, default the model's own). */
export function learnedHMatrix(model: LearnedH, y: Float64Array = model.y): SplitMatrix {
  const N = model.basis.size;
  const { entries, scale } = model;
  const P = entries.length / 2;
  const re = new Float64Array(N * N);
  const im = new Float64Array(N * N);
  for (let e = 0; e < P; e++) {
    const a = entries[2 * e];
    const b = entries[2 * e + 1];
    const f = scale[a] * scale[b];
    re[a * N + b] = y[e] * f;
    re[b * N + a] = y[e] * f;
    if (a !== b) {
      im[a * N + b] = y[P + e] * f;
      im[b * N + a] = -y[P + e] * f;
    }
  }
  return { n: N, re, im };
}

/** The model as an algebraic metric (for σ, the T-operator, export). */
export function learnedHMetric(model: LearnedH): AlgebraicMetric {
  return { basis: model.basis, G: learnedHMatrix(model) };
}

/**
 * The gradient with respect to the parameters from Z = ∂ℓ/∂G (dℓ = Re tr(Z dG), Z Hermitian,
 * split storage): through G = S Y S, an off-diagonal pair (Y_αβ, Y_βα = Ȳ_αβ) gets
 * 2 s_α s_β (Re Z_αβ, Im Z_αβ) and a diagonal entry s_α² Re Z_αα.
 */
export function learnedHGradient(model: LearnedH, Z: SplitMatrix, out: Float64Array): void {
  const N = model.basis.size;
  const { entries, scale } = model;
  const P = entries.length / 2;
  for (let e = 0; e < P; e++) {
    const a = entries[2 * e];
    const b = entries[2 * e + 1];
    const f = scale[a] * scale[b];
    // symmetrised against rounding: (Z_ab + conj Z_ba) / 2
    const zr = 0.5 * (Z.re[a * N + b] + Z.re[b * N + a]);
    const zi = 0.5 * (Z.im[a * N + b] - Z.im[b * N + a]);
    if (a === b) {
      out[e] = f * zr;
      out[P + e] = 0;
    } else {
      out[e] = 2 * f * zr;
      out[P + e] = 2 * f * zi;
    }
  }
}
