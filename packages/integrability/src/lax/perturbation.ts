// The integrability test by perturbation: from the learned Lax pair of the unperturbed 2D
// oscillator, continue training on H₀ + H₂ (ε q_x q_y, integrable: two normal modes) and on
// H₀ + H₁ (ε q_x² q_y², not integrable) with the same budget; the non-integrable system's final
// Lax loss should stay well above the integrable one's.

import { seedPlus } from "@physml/lattice-core";
import type { LaxCheckpoint } from "./checkpoint.js";
import { innerRuns, stepsBefore } from "./inner-runs.js";
import type { LaxLossWeights } from "./loss.js";
import type { LaxParams } from "./model.js";
import {
  checkPerturbationCheckpoint,
  type PerturbationCheckpoint,
  type PerturbationRow,
} from "./perturbation-checkpoint.js";
import { DEFAULT_WEIGHTS } from "./train.js";

export type { PerturbationCheckpoint, PerturbationRow } from "./perturbation-checkpoint.js";

/**
 * The loss of both fine-tuning runs: learnLax's default terms ({@link DEFAULT_WEIGHTS}) plus 𝓛_inv (the residual relative to
 * the spread of tr L̃² over the data) at weight 1. With the default loss alone, H₀ + H₁ slid into
 * pairs of nearly constant spectrum (measured, seed 1 at ε = 0.3: L almost free of p, the
 * spread of tr L̃² at the hinge's 0.1, that of tr L̃³ and tr L̃⁴ 5e-5), whose small 𝓛_Lax beat the
 * integrable run's by only 2.3×; the squared hinge of the spectrum term does not stop that, and
 * 𝓛_inv, blind to L's scale and to how fast its eigenvectors turn, does. The same loss for both
 * arms, so the test does not need to know which is integrable.
 */
export const PERTURBATION_WEIGHTS: LaxLossWeights = { ...DEFAULT_WEIGHTS, invariant: 1 };

/** Budget of the perturbation test. */
export interface PerturbationTestConfig {
  epsilons: number[];
  seeds: number[];
  /** Adam steps and L-BFGS iterations of the unperturbed run. */
  baseAdam: number;
  baseLbfgs: number;
  /** Adam steps and L-BFGS iterations on each perturbed system. */
  fineAdam: number;
  fineLbfgs: number;
  /** The polish of every run (default L-BFGS; "lm" for Levenberg–Marquardt). */
  polish?: "lbfgs" | "lm";
  /**
   * Hidden widths (default [], the affine model, which is what learnLax's ladder keeps for the
   * oscillator; without it a failed base run would move on to an MLP, far too big for "lm").
   */
  hidden?: number[];
  /** Loss weights of every fine-tuning run, both systems alike (default {@link PERTURBATION_WEIGHTS}). */
  fineWeights?: LaxLossWeights;
  onRow?: (row: PerturbationRow) => void;
  /**
   * Called with the test's checkpoint during every inner run (as learnLax's `onCheckpoint`: every
   * `checkpointEvery` Adam steps and polish iterations, at the end of Adam and after the polish)
   * and after every row (JSON-serialisable: store it to resume).
   */
  onCheckpoint?: (cp: PerturbationCheckpoint) => void;
  /** Adam steps (and polish iterations) between the inner runs' checkpoints (default 50). */
  checkpointEvery?: number;
  /**
   * Continue from this checkpoint of the same test: the finished rows are not run again, and the
   * run in progress continues from its own checkpoint, so the rows equal the uninterrupted test's
   * bit for bit (`onRow` hears only the rows after it). A PhysmlInputError under `resume.` names
   * what does not fit.
   */
  resume?: PerturbationCheckpoint;
}

/** Runs the test over every seed and ε (see {@link PerturbationTestConfig} for checkpoints). */
export function perturbationTest(c: PerturbationTestConfig): PerturbationRow[] {
  const resume =
    c.resume === undefined ? undefined : checkPerturbationCheckpoint(c.resume, c.seeds, c.epsilons);
  const rows: PerturbationRow[] = resume ? structuredClone(resume.rows) : [];
  type At = Pick<PerturbationCheckpoint, "base" | "fine">;
  const save = (inner: LaxCheckpoint | null, at: At) =>
    c.onCheckpoint?.({
      seeds: [...c.seeds],
      epsilons: [...c.epsilons],
      step: runs.step(inner),
      rows: structuredClone(rows),
      ...at,
    });
  const runs = innerRuns<At>({
    stepsBefore: resume ? stepsBefore(resume.step, resume.base, resume.fine?.run) : 0,
    ...(c.checkpointEvery !== undefined ? { checkpointEvery: c.checkpointEvery } : {}),
    ...(c.onCheckpoint ? { save } : {}),
  });
  const run = runs.run;
  const nEps = c.epsilons.length;
  const first = Math.floor(rows.length / nEps);
  for (let si = first; si < c.seeds.length; si++) {
    const seed = c.seeds[si];
    // the resumed checkpoint's runs belong to the first seed and row run here
    const stored = si === first ? resume : undefined;
    let baseCp: LaxCheckpoint | null = stored?.base ?? null;
    const base = run(
      {
        system: "ho2d",
        adamSteps: c.baseAdam,
        lbfgsIter: c.baseLbfgs,
        seed,
        hidden: c.hidden ?? [],
        polish: c.polish,
        evaluate: false,
      },
      baseCp ? { field: "base", cp: baseCp } : null,
      (inner) => {
        baseCp = inner;
        return { base: inner, fine: null };
      },
    );
    const init: LaxParams = base.state.params;
    // the perturbed runs continue in the model the unperturbed run kept
    const hidden = base.hidden;
    for (let ei = rows.length % nEps; ei < nEps; ei++) {
      const epsilon = c.epsilons[ei];
      const fineStored = stored && rows.length === stored.rows.length ? stored.fine : null;
      const fine = (kind: "h1" | "h2", integrable: number | null) =>
        run(
          {
            system: "ho2d",
            perturbation: { kind, epsilon },
            adamSteps: c.fineAdam,
            lbfgsIter: c.fineLbfgs,
            seed: seedPlus(seed, 100),
            hidden,
            polish: c.polish,
            weights: c.fineWeights ?? PERTURBATION_WEIGHTS,
            init,
            evaluate: false,
          },
          fineStored?.kind === kind ? { field: "fine.run", cp: fineStored.run } : null,
          (inner) => ({ base: baseCp, fine: { kind, integrable, run: inner } }),
        ).final.lax;
      const integrable =
        fineStored?.kind === "h1" && fineStored.integrable !== null
          ? fineStored.integrable
          : fine("h2", null);
      const nonIntegrable = fine("h1", integrable);
      const row = { epsilon, seed, integrable, nonIntegrable, ratio: nonIntegrable / integrable };
      rows.push(row);
      // the seed's base pair is kept while rows of its seed remain
      save(null, { base: ei < nEps - 1 ? baseCp : null, fine: null });
      c.onRow?.(row);
    }
  }
  return rows;
}
