// A group's memory of recent steps as one weighted sample set per slot, read straight from the
// entries' shape-image sums (see model/moment-plan.ts). The slots of one step share the weights
// (they depend on the entries, not the slot) and, through the images, the weighted mean moments:
// the Kramers–Wannier slots' means are permutations of the same image means. Every number is
// the one a per-slot copy of the rows would give: the same products summed in the same order.
import { imageSums, type SlotMomentPlan } from "../model/moment-plan.js";
import { headCoefficients } from "../model/moments.js";
import type { ExactGroup, MemoryEntry } from "./group-state.js";
import type { StepContext } from "./step-context.js";

/** The memory rows of one slot as one sample set (half A of every entry, then half B). */
export interface MemoryPool {
  /** Entry, first row and end row of each run of rows, in pool order. */
  runs: { entry: MemoryEntry; lo: number; hi: number; w: Float64Array }[];
  terms: Float64Array;
  weights: Float64Array;
  samples: number;
  half: number;
  /** Weighted mean sums per image, filled as slots ask for them. */
  imageMeans: Map<number, Float64Array>;
}

/**
 * The memory rows of slot k as one sample set: half A (first half of each step's chains) of every
 * entry, then half B, with importance weights exp(Σ_k (t_k − t_k,s)(S_k − S̄_k,s)) that move
 * samples drawn at an earlier t_s to the current t. The oldest entries are dropped while the
 * effective sample size is below half the sample count. `cache` (one per step) hands slots
 * with the same entries the same pool.
 */
export function memoryPool(
  ctx: Pick<StepContext, "termIndices">,
  gs: Pick<ExactGroup, "memory" | "t">,
  k: number,
  excludeNewest: boolean,
  cache?: Map<string, MemoryPool>,
): MemoryPool {
  let entries = gs.memory.filter((e) => e.computed[k]);
  if (excludeNewest && entries.length > 1) entries = entries.slice(0, -1);
  const key = entries.map((e) => gs.memory.indexOf(e)).join(",");
  const hit = cache?.get(key);
  if (hit) return hit;
  const logw = (e: MemoryEntry) => {
    const out = new Float64Array(e.samples);
    const sm = new Float64Array(4);
    for (let b = 0; b < e.samples; b++)
      for (const j of ctx.termIndices) sm[j] += e.terms[b * 4 + j] / e.samples;
    for (let b = 0; b < e.samples; b++) {
      let v = 0;
      for (const j of ctx.termIndices) v += (gs.t[j] - e.t[j]) * (e.terms[b * 4 + j] - sm[j]);
      out[b] = v;
    }
    return out;
  };
  for (;;) {
    const lw = entries.map(logw);
    let mx = Number.NEGATIVE_INFINITY;
    for (const l of lw) for (const v of l) mx = Math.max(mx, v);
    // Self-normalised per entry: each step's samples keep their share, reweighted within it.
    const w = lw.map((l) => {
      const e = l.map((v) => Math.exp(v - mx));
      const m = e.reduce((a, b) => a + b, 0) / e.length;
      return e.map((v) => v / m);
    });
    let s1 = 0;
    let s2 = 0;
    let n = 0;
    for (const x of w) {
      for (const v of x) {
        s1 += v;
        s2 += v * v;
        n++;
      }
    }
    if (entries.length === 1 || (s1 * s1) / s2 >= 0.5 * n) {
      const samples = n;
      const terms = new Float64Array(samples * 4);
      const weights = new Float64Array(samples);
      const runs: MemoryPool["runs"] = [];
      let r = 0;
      const half = entries.reduce((a, e) => a + Math.floor(e.samples / 2), 0);
      for (const part of [0, 1]) {
        entries.forEach((e, i) => {
          const h = Math.floor(e.samples / 2);
          const [lo, hi] = part === 0 ? [0, h] : [h, e.samples];
          runs.push({ entry: e, lo, hi, w: w[i] });
          terms.set(e.terms.subarray(lo * 4, hi * 4), r * 4);
          weights.set(w[i].subarray(lo, hi), r);
          r += hi - lo;
        });
      }
      const pool = { runs, terms, weights, samples, half, imageMeans: new Map() };
      cache?.set(key, pool);
      return pool;
    }
    entries = entries.slice(1);
  }
}

/** An entry's sums of one image `[S][size + 1]`, computed from its samples when not cached. */
function entryImage(plan: SlotMomentPlan, e: MemoryEntry, id: number): Float64Array {
  e.images ??= [];
  let sums = e.images[id];
  if (!sums) {
    [sums] = imageSums(plan, e.x, e.samples, [id]);
    e.images[id] = sums;
  }
  return sums;
}

/** Weighted mean moment row `[M]` of slot k over the pool (each image's mean summed once per pool). */
export function poolMeanMoments(plan: SlotMomentPlan, pool: MemoryPool, k: number): Float64Array {
  const { layout } = plan;
  const A = layout.shapes.length;
  const out = new Float64Array(layout.width);
  for (let a = 0; a < A; a++) {
    const id = plan.imageOf[k * A + a];
    let mean = pool.imageMeans.get(id);
    if (!mean) {
      const n = plan.images[id].size + 1;
      mean = new Float64Array(n);
      let W = 0;
      for (const run of pool.runs) {
        const sums = entryImage(plan, run.entry, id);
        for (let b = run.lo; b < run.hi; b++) {
          const wb = run.w[b];
          W += wb;
          for (let m = 0; m < n; m++) mean[m] += wb * sums[b * n + m];
        }
      }
      for (let m = 0; m < n; m++) mean[m] /= W;
      pool.imageMeans.set(id, mean);
    }
    out.set(mean, layout.offsets[a]);
  }
  return out;
}

/** ψ `[S][A]` of the pool's rows for slot k's head (θ2, θ3), as `featuresFromMoments` gives it. */
export function poolFeatures(
  plan: SlotMomentPlan,
  pool: MemoryPool,
  k: number,
  t2: number,
  t3: number,
): Float64Array {
  const { layout } = plan;
  const A = layout.shapes.length;
  const out = new Float64Array(pool.samples * A);
  const all = headCoefficients(layout, t2, t3);
  for (let a = 0; a < A; a++) {
    const id = plan.imageOf[k * A + a];
    const n = layout.sizes[a] + 1;
    const coef = all.subarray(layout.offsets[a], layout.offsets[a] + n);
    let r = 0;
    for (const run of pool.runs) {
      const sums = entryImage(plan, run.entry, id);
      for (let b = run.lo; b < run.hi; b++, r++) {
        let f = 0;
        for (let m = 0; m < n; m++) f += coef[m] * sums[b * n + m];
        out[r * A + a] = f;
      }
    }
  }
  return out;
}

/**
 * Adds a step's entry to a group's memory, which keeps the last `size` steps (here, not in
 * ./exact-rule.ts, so that the step worker, which keeps copies of the memories, loads no autodiff).
 */
export function remember(memory: MemoryEntry[], entry: MemoryEntry, size: number): void {
  memory.push(entry);
  while (memory.length > size) memory.shift();
}
