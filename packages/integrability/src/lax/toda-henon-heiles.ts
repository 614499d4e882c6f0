// The second pair of the integrability test: Toda (integrable) against Hénon–Heiles (not), both
// trained from scratch with the same model class, loss and budget; the non-integrable system's
// final Lax loss should stay well above the integrable one's. Checkpointed like the perturbation
// test.
import type { LaxCheckpoint } from "./checkpoint.js";
import { innerRuns, stepsBefore } from "./inner-runs.js";
import type { LaxRestarts } from "./systems.js";
import { laxSetup } from "./systems.js";
import {
  checkPairCheckpoint,
  type PairCheckpoint,
  type PairLosses,
  type PairRow,
} from "./toda-henon-heiles-checkpoint.js";

export type { PairCheckpoint, PairLosses, PairRow } from "./toda-henon-heiles-checkpoint.js";

/** Budget and checkpoints of {@link todaVersusHenonHeiles}. */
export interface PairTestConfig {
  seeds: number[];
  /** Adam steps and polish iterations of each draw (default: Toda's own model's budgets). */
  adam?: number;
  lbfgs?: number;
  /** Hidden widths of both systems' networks (default: Toda's own model's). */
  hidden?: number[];
  /**
   * Restarts of both systems' runs, judged by the training 𝓛_inv alike (default: Toda's, see
   * `LaxRestarts`; `{ max: 0, invariant: 0 }` for one draw each).
   */
  restarts?: LaxRestarts;
  onRow?: (row: PairRow) => void;
  /**
   * Called with the comparison's checkpoint during every run (as learnLax's `onCheckpoint`: every
   * `checkpointEvery` Adam steps and polish iterations, at the end of Adam and after the polish)
   * and after every row (JSON-serialisable: store it to resume).
   */
  onCheckpoint?: (cp: PairCheckpoint) => void;
  /** Adam steps (and polish iterations) between the runs' checkpoints (default 50). */
  checkpointEvery?: number;
  /**
   * Continue from this checkpoint of the same comparison: the finished rows are not run again,
   * and the run in progress continues from its own checkpoint, so the rows equal the
   * uninterrupted comparison's bit for bit (`onRow` hears only the rows after it). A
   * PhysmlInputError under `resume.` names what does not fit.
   */
  resume?: PairCheckpoint;
}

/**
 * Trains both systems (3×3 matrices) for every seed in one model class and loss, Toda's own
 * (exp units, symmetric L and antisymmetric M, 𝓛_Lax alone, Levenberg–Marquardt polish, restarts
 * while the training 𝓛_inv is above its threshold), each on its own inputs and box, and compares
 * their final 𝓛_Lax and 𝓛_inv. Only the data differ between the arms: the comparison does not
 * know which system is integrable.
 */
export function todaVersusHenonHeiles(c: PairTestConfig): PairRow[] {
  const resume = c.resume === undefined ? undefined : checkPairCheckpoint(c.resume, c.seeds);
  const rows: PairRow[] = resume ? structuredClone(resume.rows) : [];
  type At = Pick<PairCheckpoint, "inner">;
  const save = (inner: LaxCheckpoint | null, at: At) =>
    c.onCheckpoint?.({ seeds: [...c.seeds], step: runs.step(inner), rows: structuredClone(rows), ...at });
  const runs = innerRuns<At>({
    stepsBefore: resume ? stepsBefore(resume.step, resume.inner?.run) : 0,
    ...(c.checkpointEvery !== undefined ? { checkpointEvery: c.checkpointEvery } : {}),
    ...(c.onCheckpoint ? { save } : {}),
  });
  const toda = laxSetup("toda");
  // the class both arms are trained in (Toda's setup is where these facts live)
  const model = toda.model;
  if (!model) throw new Error("Toda's setup names its model");
  const shared = {
    hidden: c.hidden ?? model.hidden,
    adamSteps: c.adam ?? model.adamSteps,
    lbfgsIter: c.lbfgs ?? model.lbfgsIter,
    polish: model.polish,
    activation: toda.activation,
    structure: toda.structure,
    weights: toda.weights,
    restarts: c.restarts ?? toda.restarts,
    evaluate: false,
  } as const;
  // the stored run under way belongs to the first row run here
  let stored = resume?.inner ?? null;
  for (let i = rows.length; i < c.seeds.length; i++) {
    const seed = c.seeds[i];
    const run = (system: "toda" | "henon-heiles", todaLosses: PairLosses | null): PairLosses => {
      const from = stored?.system === system ? { field: "inner.run", cp: stored.run } : null;
      const { final } = runs.run({ system, seed, ...shared }, from, (inner) => ({
        inner: { system, toda: todaLosses, run: inner },
      }));
      return { lax: final.lax, invariant: final.invariant };
    };
    const t = stored?.system === "henon-heiles" && stored.toda !== null ? stored.toda : run("toda", null);
    const hh = run("henon-heiles", t);
    stored = null;
    const row: PairRow = {
      seed,
      toda: t.lax,
      henonHeiles: hh.lax,
      ratio: hh.lax / t.lax,
      todaInvariant: t.invariant,
      henonHeilesInvariant: hh.invariant,
      invariantRatio: hh.invariant / t.invariant,
    };
    rows.push(row);
    save(null, { inner: null });
    c.onRow?.(row);
  }
  return rows;
}
