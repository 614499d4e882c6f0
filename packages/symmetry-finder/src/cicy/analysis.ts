// Neighbour analysis of the CICY embedding against the CICY label (which configuration matrix a
// permuted input came from), overall and within one (h¹¹, h²¹) class, plus a Wall-type check:
// a simply connected CY threefold's diffeomorphism type is fixed by h¹¹, h²¹, c₂·J and the
// triple intersection numbers (Wall 1966), so CICYs the embedding confuses should share at least
// the invariants in the data (h¹¹, h²¹ and the multiset of c₂·J_r).
import { tensor } from "@physml/autodiff";
import { checkInt } from "@physml/lattice-core";
import { type NeighbourReport, neighbourAnalysis } from "../eval/neighbours.js";
import { augment, CICY_COLS, CICY_ROWS, type Cicy } from "./data.js";
import type { CicyInputs, TrainedCicy } from "./model.js";

export interface CicyNeighbourReport {
  /** Inputs embedded (the neighbours of an anchor are searched among all of them). */
  inputs: number;
  report: NeighbourReport;
  /** Neighbour pairs below the cut from different CICYs, and the share of them that agree on (h¹¹, h²¹, sorted c₂·J). */
  confusedPairs: number;
  confusedSameInvariants: number;
  /**
   * The share of those pairs that agree on (h¹¹, h²¹) alone: a network trained on the Hodge
   * numbers confuses such pairs most, so the Wall-type share means most against this one.
   */
  confusedSameHodge: number;
}

const invariants = (c: Cicy) => `${c.h11},${c.h21},${[...c.c2].sort((a, b) => a - b).join(",")}`;

/**
 * Embeds `data` (inputs of `cicys`, e.g. the paper's fixed training set) and scores neighbours by
 * CICY label. The anchors are the first `anchorsPerCicy` inputs of every CICY in `data`'s order
 * (default all inputs): the cost is anchors × inputs distances, so large sets want few anchors.
 */
export function cicyNeighboursOn(
  t: Pick<TrainedCicy, "net" | "state">,
  cicys: readonly Cicy[],
  data: CicyInputs,
  opts: { k?: number; anchorsPerCicy?: number } = {},
): CicyNeighbourReport {
  const n = data.index.length;
  const perCicy = checkInt("anchorsPerCicy", opts.anchorsPerCicy ?? n, 1, Math.max(1, n));
  const emb = t.net.embed(t.state.params, tensor(data.x, [n, CICY_ROWS * CICY_COLS])).toFloat64Array();
  const taken = new Map<number, number>();
  const anchors: number[] = [];
  for (let s = 0; s < n; s++) {
    const c = taken.get(data.index[s]) ?? 0;
    if (c < perCicy) anchors.push(s);
    taken.set(data.index[s], c + 1);
  }
  let confused = 0;
  let same = 0;
  let sameHodge = 0;
  const report = neighbourAnalysis(emb, data.index, {
    k: opts.k ?? 250,
    anchors,
    curves: 6,
    onNeighbours(i, below) {
      for (const j of below) {
        if (data.index[j] === data.index[i]) continue;
        confused++;
        const [a, b] = [cicys[data.index[i]], cicys[data.index[j]]];
        if (invariants(a) === invariants(b)) same++;
        if (a.h11 === b.h11 && a.h21 === b.h21) sameHodge++;
      }
    },
  });
  return {
    inputs: n,
    report,
    confusedPairs: confused,
    confusedSameInvariants: confused === 0 ? 0 : same / confused,
    confusedSameHodge: confused === 0 ? 0 : sameHodge / confused,
  };
}

/** Embeds `copies` fresh permutations of each of `cicys` (the first unpermuted) and scores neighbours by CICY label. */
export function cicyNeighbours(
  t: Pick<TrainedCicy, "net" | "state">,
  cicys: readonly Cicy[],
  opts: { copies: number; seed: number; k?: number; anchorsPerCicy?: number },
): CicyNeighbourReport {
  return cicyNeighboursOn(t, cicys, augment(cicys, opts.copies, opts.seed, true), opts);
}

/** The inputs of `data` whose CICY passes `keep`, in their order. */
export function inputsOf(data: CicyInputs, keep: (cicy: number) => boolean): CicyInputs {
  const D = CICY_ROWS * CICY_COLS;
  const rows: number[] = [];
  for (let s = 0; s < data.index.length; s++) if (keep(data.index[s])) rows.push(s);
  const x = new Float64Array(rows.length * D);
  rows.forEach((r, j) => {
    x.set(data.x.subarray(r * D, (r + 1) * D), j * D);
  });
  return { x, index: Int32Array.from(rows, (r) => data.index[r]) };
}

/** The (h¹¹, h²¹) class holding the most of `cicys` (ties: the smaller h¹¹, then h²¹), with its size. */
export function largestHodgeClass(cicys: readonly Cicy[]): { h11: number; h21: number; cicys: number } {
  const count = new Map<string, { h11: number; h21: number; cicys: number }>();
  for (const c of cicys) {
    const k = `${c.h11},${c.h21}`;
    const e = count.get(k) ?? { h11: c.h11, h21: c.h21, cicys: 0 };
    e.cicys++;
    count.set(k, e);
  }
  const order = (a: { h11: number; h21: number; cicys: number }, b: typeof a) =>
    b.cicys - a.cicys || a.h11 - b.h11 || a.h21 - b.h21;
  const best = [...count.values()].sort(order)[0];
  if (best === undefined) throw new RangeError("largestHodgeClass: no CICYs");
  return best;
}

/** The neighbour analysis within one (h¹¹, h²¹) class: only its CICYs' inputs are embedded and compared. */
export interface HodgeClassNeighbours {
  h11: number;
  h21: number;
  cicys: number;
  neighbours: CicyNeighbourReport;
}

/**
 * The paper's neighbour shares on `data` (inputs of `cicys`): over all CICYs, and within the most
 * populated (h¹¹, h²¹) class and within (10, 20) (the paper's class) when it holds at least two
 * CICYs of `data` (once when they coincide).
 */
export function cicyNeighbourShares(
  t: Pick<TrainedCicy, "net" | "state">,
  cicys: readonly Cicy[],
  data: CicyInputs,
  opts: { k?: number; anchorsPerCicy?: number } = {},
): { all: CicyNeighbourReport; classes: HodgeClassNeighbours[] } {
  const all = cicyNeighboursOn(t, cicys, data, opts);
  const present = [...new Set(data.index)].map((i) => cicys[i]);
  const largest = largestHodgeClass(present);
  const wanted = [largest, { h11: 10, h21: 20 }].filter(
    (h, j, a) => a.findIndex((o) => o.h11 === h.h11 && o.h21 === h.h21) === j,
  );
  const classes: HodgeClassNeighbours[] = [];
  for (const { h11, h21 } of wanted) {
    const members = present.filter((c) => c.h11 === h11 && c.h21 === h21).length;
    if (members < 2) continue;
    const sub = inputsOf(data, (i) => cicys[i].h11 === h11 && cicys[i].h21 === h21);
    classes.push({ h11, h21, cicys: members, neighbours: cicyNeighboursOn(t, cicys, sub, opts) });
  }
  return { all, classes };
}
