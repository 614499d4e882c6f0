// Exact solution of any 1D periodic Ising chain description whose shapes span at most
// MAX_TRANSFER_RANGE consecutive sites, at any length L: Z = Tr T^L with T acting on windows of
// W = (span − 1) spins (a closed path of L windows is exactly one ring configuration, also for
// L < W). Term means come from ⟨S_t⟩ = L · Tr(T_t T^{L−1}) / Z (translation invariance), T_t
// being T weighted by the local value of term t. Cost ≈ (1 + terms) · 2^(2W+1) · (L − W) operations
// (the first W steps from one start window are sparse): a 12-spin term at L = 100 takes ~10^10.
import { PhysmlInputError } from "../errors.js";
import { checkIsing } from "../model/ising.js";
import type { Model } from "../model/types.js";

/** Largest number of consecutive sites one shape may span (an n-spin term with n ≤ 12). */
export const MAX_TRANSFER_RANGE = 12;

/** The largest number of consecutive sites one shape of a chain description spans. */
export function chainSpan(model: Model): number {
  return Math.max(
    ...model.terms.flatMap((t) =>
      t.shapes.map((s) => Math.max(...s.map((o) => o[0])) - Math.min(...s.map((o) => o[0])) + 1),
    ),
  );
}

/** Exact averages of a periodic chain from its transfer matrix. */
export interface ChainSolution {
  lnZ: number;
  /** ⟨H⟩ / L. (couplings absorbed: dimensionless) */
  reducedEnergyPerSite: number;
  /** ⟨S_t⟩ per term (totals over the ring). */
  termMeans: Float64Array;
}

/** Exact ln Z, energy and term means of a 1D Ising chain description (any L ≥ 1). */
export function transferMatrixChain(model: Model): ChainSolution {
  checkIsing(model);
  if (model.lattice.kind !== "chain")
    throw new PhysmlInputError("model.lattice", "a chain", model.lattice.kind);
  if (model.lattice.twist)
    throw new PhysmlInputError("model.lattice.twist", "absent (periodic chains only)", "twisted");
  const L = model.lattice.L;
  const nT = model.terms.length;
  // Shapes shifted to start at 0; W = largest span − 1 (at least 1).
  const shapes = model.terms.map((t) =>
    t.shapes.map((s) => {
      const lo = Math.min(...s.map((o) => o[0]));
      return s.map((o) => o[0] - lo);
    }),
  );
  const span = chainSpan(model);
  if (span > MAX_TRANSFER_RANGE) {
    throw new PhysmlInputError("model.terms", `shapes spanning at most ${MAX_TRANSFER_RANGE} sites`, span);
  }
  const W = Math.max(1, span - 1);
  const S = 1 << W;
  // Local term values and step weights for every (window, new spin) combo: bit q = site k+q is −1.
  const combos = 1 << (W + 1);
  const f = new Float64Array(combos * nT);
  const logw = new Float64Array(combos);
  for (let x = 0; x < combos; x++) {
    let lw = 0;
    shapes.forEach((ss, t) => {
      let v = 0;
      for (const s of ss) v += s.reduce((p, q) => ((x >> q) & 1 ? -p : p), 1);
      f[x * nT + t] = v;
      lw += model.terms[t].coupling * v;
    });
    logw[x] = lw;
  }
  const shift = Math.max(...logw);
  const wt = logw.map((v) => Math.exp(v - shift));
  // Windows reachable after k steps from e_{w0}: all of them once k ≥ W, else the 2^k windows
  // ending in w0's top W−k bits (early steps touch only those). Lists are reused.
  const reach = new Int32Array(S);
  const support = (k: number, w0: number): number => {
    if (k >= W) return S;
    const n = 1 << k;
    for (let h = 0; h < n; h++) reach[h] = (w0 >> k) | (h << (W - k));
    return n;
  };
  const all = Int32Array.from({ length: S }, (_, w) => w);
  // One application of T into `out` (zero outside the reachable windows `list[0…n)`).
  const step = (v: Float64Array, out: Float64Array, list: Int32Array, n: number): void => {
    if (n < S) out.fill(0);
    for (let j = 0; j < n; j++) {
      const w2 = list[j];
      const hi = (w2 >> (W - 1)) << W;
      const rest = (w2 << 1) & (S - 1);
      out[w2] = wt[rest | hi] * v[rest] + wt[rest | 1 | hi] * v[rest | 1];
    }
  };
  // Per start window: propagate e_w (for Z) and T_t e_w (for the term means), rescaling as we go.
  const logZs: number[] = [];
  const means: Float64Array[] = [];
  let v = new Float64Array(S);
  let v2 = new Float64Array(S);
  const u = Array.from({ length: nT }, () => new Float64Array(S));
  const u2 = Array.from({ length: nT }, () => new Float64Array(S));
  for (let w0 = 0; w0 < S; w0++) {
    v.fill(0);
    v[w0] = 1;
    for (const ut of u) ut.fill(0);
    // First step by hand: T_t e_{w0} puts f_t(combo)·weight on each successor.
    const n1 = support(1, w0);
    step(v, v2, n1 < S ? reach : all, n1);
    for (let b = 0; b < 2; b++) {
      const x = w0 | (b << W);
      const w2 = (w0 >> 1) | (b << (W - 1));
      for (let t = 0; t < nT; t++) u[t][w2] += f[x * nT + t] * wt[x];
    }
    [v, v2] = [v2, v];
    let logScale = 0;
    for (let k = 1; k < L; k++) {
      const n = support(k + 1, w0);
      const list = n < S ? reach : all;
      step(v, v2, list, n);
      [v, v2] = [v2, v];
      for (let t = 0; t < nT; t++) {
        step(u[t], u2[t], list, n);
        [u[t], u2[t]] = [u2[t], u[t]];
      }
      let m = 0;
      for (let j = 0; j < n; j++) m = Math.max(m, v[list[j]]);
      if (m > 0) {
        const r = 1 / m;
        for (let j = 0; j < n; j++) v[list[j]] *= r;
        for (const ut of u) for (let j = 0; j < n; j++) ut[list[j]] *= r;
        logScale += Math.log(m);
      }
    }
    if (v[w0] > 0) {
      logZs.push(Math.log(v[w0]) + logScale);
      means.push(Float64Array.from(u, (ut) => ut[w0] / v[w0]));
    }
  }
  const top = Math.max(...logZs);
  let z = 0;
  const termMeans = new Float64Array(nT);
  logZs.forEach((lz, j) => {
    const r = Math.exp(lz - top);
    z += r;
    for (let t = 0; t < nT; t++) termMeans[t] += r * means[j][t];
  });
  for (let t = 0; t < nT; t++) termMeans[t] *= L / z;
  let e = 0;
  model.terms.forEach((t, k) => {
    e += t.coupling * termMeans[k];
  });
  return { lnZ: top + Math.log(z) + L * shift, reducedEnergyPerSite: -e / L, termMeans };
}
