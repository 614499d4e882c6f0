// A perturbation test's checkpoint as plain JSON: the finished rows, the base pair of the seed in
// progress and the fine-tuning run in progress, each inner run as its own Lax checkpoint (so it
// continues mid-training through learnLax's resume).
import { isObject, PhysmlInputError } from "@physml/lattice-core";
import type { LaxCheckpoint } from "./checkpoint.js";
import { isCount, sameWidths } from "./trainer-checkpoint.js";

/** One row of the separation table. */
export interface PerturbationRow {
  epsilon: number;
  seed: number;
  /** Final 𝓛_Lax on H₀ + H₂ (integrable). */
  integrable: number;
  /** Final 𝓛_Lax on H₀ + H₁ (not integrable). */
  nonIntegrable: number;
  /** nonIntegrable / integrable. */
  ratio: number;
}

/**
 * Everything a perturbation test needs to continue (JSON-serialisable). Rows run seed by seed,
 * ε within a seed; each row fine-tunes the seed's base pair on H₀ + H₂ then on H₀ + H₁.
 */
export interface PerturbationCheckpoint {
  /** The test's seeds and strengths, in order (a checkpoint continues only the same test). */
  seeds: number[];
  epsilons: number[];
  /** Training steps of the whole test so far (every inner run's), non-decreasing along a run. */
  step: number;
  /** The finished rows, in order. */
  rows: PerturbationRow[];
  /**
   * The base run of the seed of the next row: in training (`phase: "adam"`) or finished
   * (`"polished"`); null before it starts and after its seed's last row.
   */
  base: LaxCheckpoint | null;
  /**
   * The fine-tuning run in progress for the next row (its `kind`, H₂ first, then H₁ with the
   * H₂ run's final loss in `integrable`), or null between rows.
   */
  fine: { kind: "h2" | "h1"; integrable: number | null; run: LaxCheckpoint } | null;
}

const ROW_KEYS = ["integrable", "nonIntegrable", "ratio"] as const;

/**
 * Checks a stored checkpoint against the test it is to continue: its seeds and strengths, the
 * rows' order, and that a base pair is there whenever a row of its seed is under way. The inner
 * Lax checkpoints are checked by learnLax when resumed (see inner-runs.ts). Throws a
 * PhysmlInputError naming the field under `resume.`.
 */
export function checkPerturbationCheckpoint(
  raw: unknown,
  seeds: readonly number[],
  epsilons: readonly number[],
): PerturbationCheckpoint {
  const f = (k: string) => `resume.${k}`;
  if (!isObject(raw))
    throw new PhysmlInputError("resume", "a perturbation checkpoint (an object)", typeof raw);
  if (!sameWidths(raw.seeds, seeds))
    throw new PhysmlInputError(f("seeds"), `[${seeds.join(", ")}]`, String(raw.seeds));
  if (!sameWidths(raw.epsilons, epsilons))
    throw new PhysmlInputError(f("epsilons"), `[${epsilons.join(", ")}]`, String(raw.epsilons));
  if (!isCount(raw.step)) throw new PhysmlInputError(f("step"), "an integer >= 0", raw.step);
  const total = seeds.length * epsilons.length;
  const { rows, base, fine } = raw;
  if (!Array.isArray(rows) || rows.length > total)
    throw new PhysmlInputError(
      f("rows"),
      `at most ${total} rows`,
      Array.isArray(rows) ? rows.length : typeof rows,
    );
  rows.forEach((r, i) => {
    const epsilon = epsilons[i % epsilons.length];
    const seed = seeds[Math.floor(i / epsilons.length)];
    if (!isObject(r) || r.epsilon !== epsilon || r.seed !== seed)
      throw new PhysmlInputError(
        f(`rows.${i}`),
        `the row of ε = ${epsilon}, seed ${seed}`,
        isObject(r) ? `ε = ${r.epsilon}, seed ${r.seed}` : typeof r,
      );
    for (const k of ROW_KEYS)
      if (typeof r[k] !== "number") throw new PhysmlInputError(f(`rows.${i}.${k}`), "a number", typeof r[k]);
  });
  if (base !== null && !isObject(base))
    throw new PhysmlInputError(f("base"), "null or a Lax checkpoint", typeof base);
  if (fine !== null) {
    if (!isObject(fine) || (fine.kind !== "h2" && fine.kind !== "h1"))
      throw new PhysmlInputError(f("fine.kind"), "h2 | h1", isObject(fine) ? String(fine.kind) : typeof fine);
    if (fine.kind === "h1" ? typeof fine.integrable !== "number" : fine.integrable !== null)
      throw new PhysmlInputError(
        f("fine.integrable"),
        fine.kind === "h1" ? "the H₂ run's final loss (a number)" : "null (no H₂ run finished yet)",
        typeof fine.integrable,
      );
    if (!isObject(fine.run)) throw new PhysmlInputError(f("fine.run"), "a Lax checkpoint", typeof fine.run);
  }
  const k = rows.length;
  if (k === total && (base !== null || fine !== null))
    throw new PhysmlInputError(f("base"), "null (every row is finished)", typeof base);
  // a row under way (or the seed's next row) starts from its seed's finished base pair
  if ((k % epsilons.length !== 0 || fine !== null) && (!isObject(base) || base.phase !== "polished"))
    throw new PhysmlInputError(
      f("base"),
      `the finished base run of seed ${seeds[Math.floor(k / epsilons.length)]} (phase polished)`,
      isObject(base) ? String(base.phase) : typeof base,
    );
  return raw as unknown as PerturbationCheckpoint;
}
