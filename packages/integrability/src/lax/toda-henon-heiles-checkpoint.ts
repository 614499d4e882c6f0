// The Toda against Hénon–Heiles comparison's checkpoint as plain JSON: the finished rows and the
// run under way as its own Lax checkpoint (so it continues mid-training through learnLax's
// resume), like the perturbation test's (perturbation-checkpoint.ts).
import { isObject, PhysmlInputError } from "@physml/lattice-core";
import type { LaxCheckpoint } from "./checkpoint.js";
import { isCount, sameWidths } from "./trainer-checkpoint.js";

/** One row of the Toda vs Hénon–Heiles comparison (final training losses of the kept draws). */
export interface PairRow {
  seed: number;
  /** Final 𝓛_Lax on Toda (integrable). */
  toda: number;
  /** Final 𝓛_Lax on Hénon–Heiles (not integrable). */
  henonHeiles: number;
  /** henonHeiles / toda. */
  ratio: number;
  /** Final 𝓛_inv (the residual relative to the spread of tr L̃²) on Toda. */
  todaInvariant: number;
  /** Final 𝓛_inv on Hénon–Heiles. */
  henonHeilesInvariant: number;
  /** henonHeilesInvariant / todaInvariant. */
  invariantRatio: number;
}

/** A run's final 𝓛_Lax and 𝓛_inv. */
export interface PairLosses {
  lax: number;
  invariant: number;
}

/**
 * Everything a Toda vs Hénon–Heiles comparison needs to continue (JSON-serialisable). Rows run
 * seed by seed; each trains Toda, then Hénon–Heiles.
 */
export interface PairCheckpoint {
  /** The comparison's seeds, in order (a checkpoint continues only the same comparison). */
  seeds: number[];
  /** Training steps of the whole comparison so far (every inner run's), non-decreasing along it. */
  step: number;
  /** The finished rows, in order. */
  rows: PairRow[];
  /**
   * The run in progress for the next row (its `system`: Toda first, then Hénon–Heiles with
   * Toda's final losses in `toda`), or null between rows.
   */
  inner: { system: "toda" | "henon-heiles"; toda: PairLosses | null; run: LaxCheckpoint } | null;
}

const ROW_KEYS = [
  "toda",
  "henonHeiles",
  "ratio",
  "todaInvariant",
  "henonHeilesInvariant",
  "invariantRatio",
] as const;

const isLosses = (v: unknown): boolean =>
  isObject(v) && typeof v.lax === "number" && typeof v.invariant === "number";

/**
 * Checks a stored checkpoint against the comparison it is to continue: its seeds, the rows'
 * order, and the run under way. Its Lax checkpoint is checked by learnLax when resumed (see
 * inner-runs.ts). Throws a PhysmlInputError naming the field under `resume.`.
 */
export function checkPairCheckpoint(raw: unknown, seeds: readonly number[]): PairCheckpoint {
  const f = (k: string) => `resume.${k}`;
  if (!isObject(raw))
    throw new PhysmlInputError("resume", "a Toda vs Hénon–Heiles checkpoint (an object)", typeof raw);
  if (!sameWidths(raw.seeds, seeds))
    throw new PhysmlInputError(f("seeds"), `[${seeds.join(", ")}]`, String(raw.seeds));
  if (!isCount(raw.step)) throw new PhysmlInputError(f("step"), "an integer >= 0", raw.step);
  const { rows, inner } = raw;
  if (!Array.isArray(rows) || rows.length > seeds.length)
    throw new PhysmlInputError(
      f("rows"),
      `at most ${seeds.length} rows`,
      Array.isArray(rows) ? rows.length : typeof rows,
    );
  rows.forEach((r, i) => {
    if (!isObject(r) || r.seed !== seeds[i])
      throw new PhysmlInputError(
        f(`rows.${i}`),
        `the row of seed ${seeds[i]}`,
        isObject(r) ? `seed ${r.seed}` : typeof r,
      );
    for (const k of ROW_KEYS)
      if (typeof r[k] !== "number") throw new PhysmlInputError(f(`rows.${i}.${k}`), "a number", typeof r[k]);
  });
  if (inner !== null) {
    if (rows.length === seeds.length)
      throw new PhysmlInputError(f("inner"), "null (every row is finished)", typeof inner);
    if (!isObject(inner) || (inner.system !== "toda" && inner.system !== "henon-heiles"))
      throw new PhysmlInputError(
        f("inner.system"),
        "toda | henon-heiles",
        isObject(inner) ? String(inner.system) : typeof inner,
      );
    if (inner.system === "henon-heiles" ? !isLosses(inner.toda) : inner.toda !== null)
      throw new PhysmlInputError(
        f("inner.toda"),
        inner.system === "henon-heiles"
          ? "Toda's final losses ({ lax, invariant }, numbers)"
          : "null (Toda's run is under way)",
        inner.toda === null ? "null" : typeof inner.toda,
      );
    if (!isObject(inner.run))
      throw new PhysmlInputError(f("inner.run"), "a Lax checkpoint", typeof inner.run);
  }
  return raw as unknown as PairCheckpoint;
}
