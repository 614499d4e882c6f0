// Neighbour analysis of the CICY embedding against the CICY label (which configuration matrix a
// permuted input came from), overall and within one (h¹¹, h²¹) class, plus a Wall-type check:
// a simply connected CY threefold's diffeomorphism type is fixed by h¹¹, h²¹, c₂·J and the
// triple intersection numbers (Wall 1966), so CICYs the embedding confuses should share at least
// the invariants in the data (h¹¹, h²¹ and the multiset of c₂·J_r).
import { tensor } from "@physml/autodiff";
import { type NeighbourReport, neighbourAnalysis } from "../eval/neighbours.js";
import { augment, CICY_COLS, CICY_ROWS, type Cicy } from "./data.js";
import type { TrainedCicy } from "./model.js";

export interface CicyNeighbourReport {
  /** Permuted copies of each CICY that were embedded. */
  copies: number;
  report: NeighbourReport;
  /** Neighbour pairs below the cut from different CICYs, and the share of them that agree on (h¹¹, h²¹, sorted c₂·J). */
  confusedPairs: number;
  confusedSameInvariants: number;
}

const invariants = (c: Cicy) => `${c.h11},${c.h21},${[...c.c2].sort((a, b) => a - b).join(",")}`;

/** Embeds `copies` permutations of each of `cicys` and scores neighbours by CICY label. */
export function cicyNeighbours(
  t: TrainedCicy,
  cicys: readonly Cicy[],
  opts: { copies: number; seed: number; k?: number; anchorsPerCicy?: number },
): CicyNeighbourReport {
  const data = augment(cicys, opts.copies, opts.seed, true);
  const n = data.index.length;
  const emb = t.net.embed(t.state.params, tensor(data.x, [n, CICY_ROWS * CICY_COLS])).toFloat64Array();
  const perCicy = Math.min(opts.anchorsPerCicy ?? opts.copies, opts.copies);
  // copies are laid out copy-major: point s belongs to copy ⌊s / m⌋
  const anchors = Int32Array.from({ length: perCicy * cicys.length }, (_, s) => s);
  let confused = 0;
  let same = 0;
  const report = neighbourAnalysis(emb, data.index, {
    k: opts.k ?? 250,
    anchors,
    curves: 6,
    onNeighbours(i, below) {
      for (const j of below) {
        if (data.index[j] === data.index[i]) continue;
        confused++;
        if (invariants(cicys[data.index[j]]) === invariants(cicys[data.index[i]])) same++;
      }
    },
  });
  return {
    copies: opts.copies,
    report,
    confusedPairs: confused,
    confusedSameInvariants: confused === 0 ? 0 : same / confused,
  };
}
