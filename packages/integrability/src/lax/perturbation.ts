// The integrability test by perturbation: from the learned Lax pair of the unperturbed 2D
// oscillator, continue training on H₀ + H₂ (ε q_x q_y, integrable: two normal modes) and on
// H₀ + H₁ (ε q_x² q_y², not integrable) with the same budget; the non-integrable system's final
// Lax loss should stay well above the integrable one's.
import { learnLax } from "./learn.js";
import type { LaxParams } from "./model.js";

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
  onRow?: (row: PerturbationRow) => void;
}

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

/** Runs the test over every seed and ε. */
export function perturbationTest(c: PerturbationTestConfig): PerturbationRow[] {
  const rows: PerturbationRow[] = [];
  for (const seed of c.seeds) {
    const base = learnLax({
      system: "ho2d",
      adamSteps: c.baseAdam,
      lbfgsIter: c.baseLbfgs,
      seed,
      hidden: c.hidden ?? [],
      polish: c.polish,
      evaluate: false,
    });
    const init: LaxParams = base.state.params;
    // the perturbed runs continue in the model the unperturbed run kept
    const hidden = base.hidden;
    for (const epsilon of c.epsilons) {
      const fine = (kind: "h1" | "h2") =>
        learnLax({
          system: "ho2d",
          perturbation: { kind, epsilon },
          adamSteps: c.fineAdam,
          lbfgsIter: c.fineLbfgs,
          seed: seed + 100,
          hidden,
          polish: c.polish,
          init,
          evaluate: false,
        }).final.lax;
      const integrable = fine("h2");
      const nonIntegrable = fine("h1");
      const row = { epsilon, seed, integrable, nonIntegrable, ratio: nonIntegrable / integrable };
      rows.push(row);
      c.onRow?.(row);
    }
  }
  return rows;
}

/** One row of the Toda vs Hénon–Heiles comparison. */
export interface PairRow {
  seed: number;
  /** Final 𝓛_Lax on Toda (integrable). */
  toda: number;
  /** Final 𝓛_Lax on Hénon–Heiles (not integrable). */
  henonHeiles: number;
  ratio: number;
}

/** The second pair of the test: both trained from scratch (3×3 matrices) with the same budget. */
export function todaVersusHenonHeiles(c: {
  seeds: number[];
  adam: number;
  lbfgs: number;
  hidden?: number[];
  onRow?: (row: PairRow) => void;
}): PairRow[] {
  return c.seeds.map((seed) => {
    const run = (system: "toda" | "henon-heiles") =>
      learnLax({ system, adamSteps: c.adam, lbfgsIter: c.lbfgs, seed, hidden: c.hidden, evaluate: false })
        .final.lax;
    const toda = run("toda");
    const henonHeiles = run("henon-heiles");
    const row = { seed, toda, henonHeiles, ratio: henonHeiles / toda };
    c.onRow?.(row);
    return row;
  });
}
