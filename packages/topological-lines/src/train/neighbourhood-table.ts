// The neighbourhood chunk: a table O_t over the six link types t = (x, n) (data/link-types.ts),
// normalised to Σ_t O_t² = 6. As for the two-entry table, every compared pair of paths has one
// length, so a factor on O multiplies both sides of a pair alike: the scale is a gauge, and O and
// −O are the same line. ⟨ψ_a⟩ = Σ_m p_a[m] Π_t O_t^{c_mt} over the path's count vectors m. The
// loss compares each pair relative to its size (relativeDifferences).
import { LINK_TYPES, typeParts } from "../data/link-types.js";

/** Squared norm of a normalised neighbourhood table (the norm of O = 1 on every type). */
export const TABLE_NORM2 = LINK_TYPES;

/** The table scaled to Σ O_t² = 6 (a zero table is returned unchanged). */
export function normaliseTable(o: ArrayLike<number>): Float64Array {
  let n2 = 0;
  for (let t = 0; t < LINK_TYPES; t++) n2 += o[t] * o[t];
  const s = n2 > 0 ? Math.sqrt(TABLE_NORM2 / n2) : 1;
  return Float64Array.from({ length: LINK_TYPES }, (_, t) => o[t] * s);
}

/** The angle (radians, in [0, π/2]) between the lines of two tables: O and −O are one line. */
export function lineAngle(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let t = 0; t < LINK_TYPES; t++) {
    ab += a[t] * b[t];
    aa += a[t] * a[t];
    bb += b[t] * b[t];
  }
  return Math.acos(Math.min(1, Math.abs(ab) / Math.sqrt(aa * bb)));
}

/** A table as a function of the link's spin product x and its frustrated neighbours n. */
export function tableOf(f: (x: 1 | -1, n: number) => number): Float64Array {
  return normaliseTable(
    Array.from({ length: LINK_TYPES }, (_, t) => {
      const { x, n } = typeParts(t);
      return f(x, n);
    }),
  );
}

/** The trivial line O = 1: a zero of the loss for every model and geometry. */
export const CONSTANT_TABLE = tableOf(() => 1);

/**
 * O = (−1)^n, the product of the two neighbouring plaquettes: across links a dual path moves from
 * plaquette to plaquette, and the two plaquettes beside each crossed link are the path's
 * consecutive steps, so the product telescopes to P_start·P_end — path-independent for every
 * configuration, a trivial line of that geometry.
 */
export const PLAQUETTE_PARITY_TABLE = tableOf((_x, n) => (n % 2 ? -1 : 1));

/** The Z2 line chunk O = s_i s_j, blind to the neighbourhood. */
export const Z2_TABLE = tableOf((x) => x);

/** The disorder line chunk e^{−2K s_i s_j}, blind to the neighbourhood. */
export function disorderTable(K: number): Float64Array {
  return tableOf((x) => Math.exp(-2 * K * x));
}

/**
 * e^{−2K x − κ(P₁ + P₂)} with P₁ + P₂ = 2 − 2n: the disorder chunk with half of each neighbouring
 * plaquette term flipped. Along a dual path each interior plaquette is beside two crossed links
 * and gets its whole term flipped, as the defect of the plaquette model needs; the two end
 * plaquettes get half, so the chunk is not exact where a deformation moves a corner of an end
 * plaquette. The nearest link-neighbourhood guess, compared with what the learner finds.
 */
export function plaquetteDisorderTable(K: number, kappa: number): Float64Array {
  return tableOf((x, n) => Math.exp(-2 * K * x - kappa * (2 - 2 * n)));
}

/** The trivial lines of a geometry: always O = 1; across links also the plaquette parity. */
export function trivialTables(geometry: "links" | "crossing"): Float64Array[] {
  return geometry === "crossing" ? [CONSTANT_TABLE, PLAQUETTE_PARITY_TABLE] : [CONSTANT_TABLE];
}

/**
 * ⟨ψ⟩ = Σ_m p[m] Π_t O_t^{c_mt} and its gradient in the six entries (prefix and suffix products
 * of the factors, so a zero entry is handled exactly). `grad` (length 6) is added to, scaled by
 * `gradScale`, when given.
 */
export function monomialValue(
  monomials: Uint8Array,
  p: ArrayLike<number>,
  o: ArrayLike<number>,
  grad?: Float64Array,
  gradScale = 1,
): number {
  const T = LINK_TYPES;
  const bins = monomials.length / T;
  // Powers O_t^c for the exponents a path can have (c ≤ 12), computed once per call.
  const P = 13;
  const pw = new Float64Array(T * P);
  for (let t = 0; t < T; t++) {
    pw[t * P] = 1;
    for (let c = 1; c < P; c++) pw[t * P + c] = pw[t * P + c - 1] * o[t];
  }
  const f = new Float64Array(T);
  const df = new Float64Array(T);
  const pre = new Float64Array(T + 1);
  let value = 0;
  for (let m = 0; m < bins; m++) {
    if (p[m] === 0) continue;
    pre[0] = 1;
    for (let t = 0; t < T; t++) {
      const c = monomials[m * T + t];
      f[t] = pw[t * P + c];
      df[t] = c === 0 ? 0 : c * pw[t * P + c - 1];
      pre[t + 1] = pre[t] * f[t];
    }
    value += p[m] * pre[T];
    if (!grad) continue;
    let suf = 1;
    for (let t = T - 1; t >= 0; t--) {
      if (df[t] !== 0) grad[t] += gradScale * p[m] * pre[t] * df[t] * suf;
      suf *= f[t];
    }
  }
  return value;
}

/** Per-path data the neighbourhood loss needs: each path's count vectors and mean fractions. */
export interface MonomialMeans {
  monomials: readonly Uint8Array[];
  means: readonly ArrayLike<number>[];
}

/**
 * The pair differences D_ab = ⟨ψ_a⟩ − ⟨ψ_b⟩ and, when `jacobian` is set, their gradients
 * (row-major pairs × 6).
 */
export function pairDifferences(
  data: MonomialMeans,
  pairs: readonly [number, number][],
  o: ArrayLike<number>,
  jacobian = false,
): { d: Float64Array; jac?: Float64Array } {
  const T = LINK_TYPES;
  const used = new Set(pairs.flat());
  const val = new Map<number, number>();
  const grads = new Map<number, Float64Array>();
  for (const a of used) {
    const g = jacobian ? new Float64Array(T) : undefined;
    val.set(a, monomialValue(data.monomials[a], data.means[a], o, g));
    if (g) grads.set(a, g);
  }
  const d = Float64Array.from(pairs, ([a, b]) => (val.get(a) ?? 0) - (val.get(b) ?? 0));
  if (!jacobian) return { d };
  const jac = new Float64Array(pairs.length * T);
  pairs.forEach(([a, b], i) => {
    const ga = grads.get(a) as Float64Array;
    const gb = grads.get(b) as Float64Array;
    for (let t = 0; t < T; t++) jac[i * T + t] = ga[t] - gb[t];
  });
  return { d, jac };
}

/** Below this pair scale a table's line vanishes on the data (every placement has a zero entry). */
export const VANISHING = 1e-150;

/**
 * The relative pair differences r_ab = D_ab / s_ab, s_ab = √((⟨ψ_a⟩² + ⟨ψ_b⟩²)/2), and their
 * gradients. Six entries can make a line vanish: a table that is zero on the common link types
 * has ⟨ψ⟩ ≈ 0 on every path and so tiny absolute differences, without being a line; relative to
 * the pair's own size its differences are O(1). A pair whose ψ both vanish counts r = 1.
 */
export function relativeDifferences(
  data: MonomialMeans,
  pairs: readonly [number, number][],
  o: ArrayLike<number>,
  jacobian = false,
): { r: Float64Array; jac?: Float64Array } {
  const T = LINK_TYPES;
  const used = [...new Set(pairs.flat())];
  const val = new Map<number, number>();
  const grads = new Map<number, Float64Array>();
  for (const a of used) {
    const g = new Float64Array(T);
    val.set(a, monomialValue(data.monomials[a], data.means[a], o, jacobian ? g : undefined));
    grads.set(a, g);
  }
  const r = new Float64Array(pairs.length);
  const jac = jacobian ? new Float64Array(pairs.length * T) : undefined;
  pairs.forEach(([a, b], i) => {
    const ma = val.get(a) as number;
    const mb = val.get(b) as number;
    const s = Math.sqrt((ma * ma + mb * mb) / 2);
    if (!(s > VANISHING)) {
      r[i] = 1;
      return;
    }
    const d = ma - mb;
    r[i] = d / s;
    if (!jac) return;
    const ga = grads.get(a) as Float64Array;
    const gb = grads.get(b) as Float64Array;
    for (let t = 0; t < T; t++) {
      const ds = (ma * ga[t] + mb * gb[t]) / (2 * s);
      jac[i * T + t] = (ga[t] - gb[t]) / s - (d * ds) / (s * s);
    }
  });
  return jac ? { r, jac } : { r };
}

/** The loss Σ_pairs r_ab² of the relative pair differences, and its gradient in the six entries. */
export function neighbourhoodLoss(
  data: MonomialMeans,
  pairs: readonly [number, number][],
  o: ArrayLike<number>,
): { loss: number; grad: Float64Array } {
  const { r, jac } = relativeDifferences(data, pairs, o, true);
  const grad = new Float64Array(LINK_TYPES);
  let loss = 0;
  for (let i = 0; i < r.length; i++) {
    loss += r[i] * r[i];
    for (let t = 0; t < LINK_TYPES; t++) grad[t] += 2 * r[i] * (jac as Float64Array)[i * LINK_TYPES + t];
  }
  return { loss, grad };
}
