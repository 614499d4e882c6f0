// The data of a pseudo-likelihood fit, compressed: the conditional law of spin i given the rest
// depends on the configuration only through D_t = S_t(s) − S_t(s with spin i flipped), one value
// per term, and for a non-degenerate model D is a function of the site's ΔE-table index (its spin
// and the neighbour products of every term). So the samples reduce to a histogram over the
// distinct local patterns, per jackknife block; the fit then costs O(patterns), not O(M·N).
import { isingLocalIndex, isingTermSums, type Model, modelTables } from "@physml/lattice-core";
import type { Samples } from "../data/samples.js";

/** Distinct local patterns of a sample set and how often each occurs in each block. */
export interface Patterns {
  readonly nTerms: number;
  readonly nPatterns: number;
  /** `D[p·nTerms + t]` = S_t(s) − S_t(s^i) of pattern p (so ΔE_i = Σ_t c_t D_t). */
  readonly D: Float64Array;
  readonly blocks: number;
  /** `counts[p·blocks + b]` = occurrences of pattern p (over samples and sites) in block b. */
  readonly counts: Float64Array;
  /** Samples in each block (contiguous runs of samples; sizes differ by at most one). */
  readonly blockSamples: readonly number[];
}

/** First sample of block b when M samples are cut into B contiguous blocks. */
export const blockStart = (b: number, M: number, B: number): number => Math.floor((b * M) / B);

/** D of a ΔE-table index: spin s = ±1 and D_t = 2s·(f_t + v_t), v_t = 2·digit_t − positions_t. */
function tableFeatures(model: Model, idx: number, out: Float64Array, o: number): void {
  const tb = modelTables(model);
  const s = idx >= tb.half ? 1 : -1;
  const r = idx % tb.half;
  tb.terms.forEach((t, k) => {
    const digit = Math.floor(r / tb.stride[k]) % tb.radix[k];
    out[o + k] = 2 * s * (t.fieldCount + 2 * digit - t.positions.length);
  });
}

/**
 * Histogram of the local patterns of every (sample, site), cut into `blocks` contiguous blocks
 * of samples. Uses the ΔE-table index of lattice-core's stencil; on a lattice so small that a
 * term visits a site twice (`ModelTables.degenerate`) it takes D from two full term sums.
 */
export function localPatterns(model: Model, samples: Samples, blocks: number): Patterns {
  const tb = modelTables(model);
  const nT = tb.terms.length;
  const { spins, count: M, sites: N } = samples;
  const index = new Map<number | string, number>();
  const feats: number[] = [];
  const counts: number[] = [];
  const row = new Float64Array(nT);
  const flipped = new Int8Array(N);
  const blockSamples: number[] = [];
  const add = (key: number | string, b: number, fill: () => void) => {
    let p = index.get(key);
    if (p === undefined) {
      p = index.size;
      index.set(key, p);
      fill();
      for (let t = 0; t < nT; t++) feats.push(row[t]);
      for (let c = 0; c < blocks; c++) counts.push(0);
    }
    counts[p * blocks + b]++;
  };
  for (let b = 0; b < blocks; b++) {
    const a0 = blockStart(b, M, blocks);
    const a1 = blockStart(b + 1, M, blocks);
    blockSamples.push(a1 - a0);
    for (let a = a0; a < a1; a++) {
      const off = a * N;
      if (tb.degenerate) {
        const base = isingTermSums(model, spins, off);
        flipped.set(spins.subarray(off, off + N));
        for (let i = 0; i < N; i++) {
          flipped[i] = -flipped[i];
          const other = isingTermSums(model, flipped);
          flipped[i] = -flipped[i];
          for (let t = 0; t < nT; t++) row[t] = base[t] - other[t];
          add(row.join(","), b, () => {});
        }
      } else {
        for (let i = 0; i < N; i++) {
          const idx = isingLocalIndex(model, spins, i, off);
          add(idx, b, () => tableFeatures(model, idx, row, 0));
        }
      }
    }
  }
  return {
    nTerms: nT,
    nPatterns: index.size,
    D: Float64Array.from(feats),
    blocks,
    counts: Float64Array.from(counts),
    blockSamples,
  };
}
