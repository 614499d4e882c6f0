// `cy donaldson` resumable in its run directory: a degree's T-operator iterations are checkpointed
// (G and the iterations so far) at most every DONALDSON_CHECKPOINT_SECONDS, and each finished degree
// of `--k a..b` at once (its σ row, after its h-k<k>.npy and sections-k<k>.npy are on disk), so a
// killed run loses neither a finished degree nor more than that many seconds of iterations. An
// iteration depends only on G and the integration points (sampled again from the seed), and G is
// stored as JSON numbers (shortest round-trip form), so a resumed run ends with the same bits.

import {
  type DonaldsonIteration,
  type DonaldsonResult,
  donaldson,
  type PointSet,
  type Quintic,
  type SigmaKRow,
} from "@physml/cy-metrics";
import { plural } from "@physml/lattice-core";
import type { Run } from "@physml/runs";

/** Seconds of T-operator iterations between two checkpoints of one degree's balancing. */
export const DONALDSON_CHECKPOINT_SECONDS = 30;

/** A degree's balancing in progress: G (N×N, split into real and imaginary parts) after `history.length` iterations. */
export interface Balancing {
  k: number;
  re: number[];
  im: number[];
  history: DonaldsonIteration[];
}

/** A cy donaldson checkpoint: the finished degrees of `--k a..b`, and the degree being balanced. */
export interface DonaldsonState {
  rows: SigmaKRow[];
  balancing?: Balancing;
}

const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/**
 * A stored state checked against the run: degrees `ks` in order, `iterations` per degree, and
 * `sections(k)` sections of degree k (the size of G). Throws when it does not fit, so the previous
 * checkpoint is used instead.
 */
export function checkDonaldsonState(
  raw: unknown,
  ks: readonly number[],
  iterations: number,
  sections: (k: number) => number,
): DonaldsonState {
  const s = raw as Partial<DonaldsonState> | null;
  if (typeof s !== "object" || s === null || !Array.isArray(s.rows))
    throw new Error("not a cy donaldson state");
  const rows = s.rows;
  const complete = (r: SigmaKRow) =>
    finite(r.sigma?.mean) && finite(r.balancingError) && finite(r.sigmaWithBalancing?.error);
  if (rows.length > ks.length || rows.some((r, i) => r?.k !== ks[i] || !complete(r))) {
    throw new Error(`its finished degrees are not the first of k = ${ks.join(", ")}`);
  }
  const b = s.balancing;
  if (b === undefined) return { rows };
  const n = rows.length < ks.length ? sections(ks[rows.length]) : 0;
  const fits =
    b.k === ks[rows.length] &&
    Array.isArray(b.re) &&
    Array.isArray(b.im) &&
    b.re.length === n * n &&
    b.im.length === n * n &&
    b.re.every(finite) &&
    b.im.every(finite) &&
    Array.isArray(b.history) &&
    b.history.length <= iterations &&
    b.history.every((h, i) => h?.iteration === i + 1 && finite(h.change) && finite(h.seconds));
  if (!fits) {
    throw new Error(
      `its balancing is not one of k = ${ks[rows.length]} with ${plural(iterations, "iteration")} at most`,
    );
  }
  return { rows, balancing: b };
}

/**
 * The checkpoint step of degree `ks[index]` after `iteration` iterations (`iterations + 1`: the
 * degree is finished), increasing through the run.
 */
export const checkpointStep = (index: number, iteration: number, iterations: number): number =>
  index * (iterations + 1) + iteration;

/** What {@link balanceInRun} balances and where it checkpoints. */
export interface BalanceInRun {
  run: Run<unknown>;
  quintic: Quintic;
  /** Every degree of the run; `index` picks the one balanced now. */
  ks: readonly number[];
  index: number;
  iterations: number;
  points: PointSet;
  /** The finished degrees, stored again with every checkpoint. */
  rows: readonly SigmaKRow[];
  /** A stored balancing of this degree to continue. */
  from?: Balancing;
  onIteration: (it: DonaldsonIteration) => void;
  /** Seconds between checkpoints (default {@link DONALDSON_CHECKPOINT_SECONDS}; 0: every iteration). */
  every?: number;
}

/**
 * Balances degree `ks[index]` on `points` from `from` (else from G = 1), checkpointing G every
 * `every` seconds. The history and seconds include the stored iterations.
 */
export function balanceInRun(o: BalanceInRun): DonaldsonResult {
  const k = o.ks[o.index];
  const done = o.from?.history ?? [];
  const base = done.at(-1)?.seconds ?? 0;
  const history = [...done];
  const every = 1000 * (o.every ?? DONALDSON_CHECKPOINT_SECONDS);
  let saved = performance.now();
  const r = donaldson(o.quintic, {
    k,
    iterations: o.iterations - done.length,
    integrationPoints: o.points,
    ...(o.from
      ? {
          initial: {
            n: Math.round(Math.sqrt(o.from.re.length)),
            re: Float64Array.from(o.from.re),
            im: Float64Array.from(o.from.im),
          },
        }
      : {}),
    onIteration: (info, G) => {
      const it = {
        iteration: done.length + info.iteration,
        change: info.change,
        seconds: base + info.seconds,
      };
      history.push(it);
      o.onIteration(it);
      if (performance.now() - saved < every) return;
      const balancing: Balancing = { k, re: Array.from(G.re), im: Array.from(G.im), history };
      o.run.saveCheckpoint(checkpointStep(o.index, it.iteration, o.iterations), { rows: o.rows, balancing });
      saved = performance.now();
    },
  });
  return { ...r, history, seconds: base + r.seconds };
}
