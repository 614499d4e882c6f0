// The second pair of the integrability test: Toda (integrable) against Hénon–Heiles (not), both
// trained from scratch with the same budget; the non-integrable system's final Lax loss should
// stay well above the integrable one's. Checkpointed like the perturbation test.
import type { LaxCheckpoint } from "./checkpoint.js";
import { innerRuns, stepsBefore } from "./inner-runs.js";
import { checkPairCheckpoint, type PairCheckpoint, type PairRow } from "./toda-henon-heiles-checkpoint.js";

export type { PairCheckpoint, PairRow } from "./toda-henon-heiles-checkpoint.js";

/** Budget and checkpoints of {@link todaVersusHenonHeiles}. */
export interface PairTestConfig {
  seeds: number[];
  /** Adam steps and L-BFGS iterations of each run. */
  adam: number;
  lbfgs: number;
  /** Hidden widths of both systems' networks (default: learnLax's ladder). */
  hidden?: number[];
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

/** Trains both systems (3×3 matrices) for every seed and compares their final 𝓛_Lax. */
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
  // the stored run under way belongs to the first row run here
  let stored = resume?.inner ?? null;
  for (let i = rows.length; i < c.seeds.length; i++) {
    const seed = c.seeds[i];
    const run = (system: "toda" | "henon-heiles", toda: number | null) => {
      const from = stored?.system === system ? { field: "inner.run", cp: stored.run } : null;
      return runs.run(
        { system, adamSteps: c.adam, lbfgsIter: c.lbfgs, seed, hidden: c.hidden, evaluate: false },
        from,
        (inner) => ({ inner: { system, toda, run: inner } }),
      ).final.lax;
    };
    const toda = stored?.system === "henon-heiles" && stored.toda !== null ? stored.toda : run("toda", null);
    const henonHeiles = run("henon-heiles", toda);
    stored = null;
    const row = { seed, toda, henonHeiles, ratio: henonHeiles / toda };
    rows.push(row);
    save(null, { inner: null });
    c.onRow?.(row);
  }
  return rows;
}
