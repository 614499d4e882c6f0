import { describe, expect, it } from "vitest";
import { expectRefused } from "../../test/refused.js";
import { stoppedAtCheckpoint } from "../../test/stopped.js";
import { type PerturbationCheckpoint, type PerturbationRow, perturbationTest } from "./perturbation.js";

// Two seeds, two strengths: per seed a base run then two rows of two fine-tuning runs. With 10
// Adam steps and a checkpoint every 5, each inner run checkpoints at Adam steps 5, 10 and after
// its polish; a row's end adds one more: 3 + 2 × (3 + 3 + 1) = 17 checkpoints per seed.
const BASE = {
  seeds: [0, 1],
  epsilons: [0.1, 0.3],
  baseAdam: 10,
  baseLbfgs: 1,
  fineAdam: 10,
  fineLbfgs: 1,
  checkpointEvery: 5,
};
const PER_SEED = 17;

/** Runs the test, from `resume` if given, stopped when its checkpoint number `k + 1` is taken. */
function interrupted(
  k: number,
  resume?: PerturbationCheckpoint,
): { checkpoints: PerturbationCheckpoint[]; rows: PerturbationRow[]; result?: PerturbationRow[] } {
  const rows: PerturbationRow[] = [];
  const r = stoppedAtCheckpoint(k, (onCheckpoint: (cp: PerturbationCheckpoint) => void) =>
    perturbationTest({ ...BASE, ...(resume ? { resume } : {}), onRow: (x) => rows.push(x), onCheckpoint }),
  );
  return { ...r, rows };
}

describe("perturbationTest resumed from a checkpoint", () => {
  const whole = interrupted(Number.POSITIVE_INFINITY);
  const rows = whole.result as PerturbationRow[];

  it("checkpoints during every inner run and after every row, at non-decreasing steps, without changing the rows", () => {
    expect(whole.checkpoints).toHaveLength(2 * PER_SEED);
    const steps = whole.checkpoints.map((cp) => cp.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    // each inner run: 10 Adam steps and at most 1 polish iteration
    expect(steps.at(-1)).toBeGreaterThanOrEqual(10 * 10);
    expect(steps.at(-1)).toBeLessThanOrEqual(10 * 11);
    expect(whole.checkpoints.map((cp) => cp.rows.length).at(-1)).toBe(4);
    expect(whole.rows).toEqual(rows);
    const { checkpointEvery: _, ...plain } = BASE;
    expect(perturbationTest(plain)).toEqual(rows);
  });

  // where the test stops: in the first base run's Adam, after it, in the first row's H₁ run, at
  // the end of seed 0 (its base no longer kept), after seed 1's first H₂ polish, and at the end
  it.each([
    [1, "base Adam step 5"],
    [3, "base polished"],
    [7, "H₁ Adam step 5 of row 0"],
    [PER_SEED, "end of seed 0"],
    [PER_SEED + 6, "H₂ polished in row 2"],
    [2 * PER_SEED, "every row done"],
  ])(
    "stopped after checkpoint %i (%s), resumed: the same rows bit for bit, and the same checkpoints after it",
    (k) => {
      const stopped = interrupted(k);
      const last = stopped.checkpoints[k - 1];
      expect(last).toEqual(whole.checkpoints[k - 1]);
      const resumed = interrupted(Number.POSITIVE_INFINITY, last);
      expect(resumed.result).toEqual(rows);
      // onRow heard each row once over both processes
      expect([...stopped.rows, ...resumed.rows]).toEqual(rows);
      expect(resumed.rows).toEqual(rows.slice(last.rows.length));
      expect(resumed.checkpoints).toEqual(whole.checkpoints.slice(k));
    },
  );

  it("refuses a checkpoint that does not fit, naming the field under resume.", () => {
    const at = (k: number) => structuredClone(whole.checkpoints[k - 1]);
    const refused = (cp: unknown, field: string) =>
      expectRefused(() => perturbationTest({ ...BASE, resume: cp as PerturbationCheckpoint }), field);
    refused("checkpoint", "resume");
    refused({ ...at(7), seeds: [0, 2] }, "resume.seeds");
    refused({ ...at(7), epsilons: [0.1] }, "resume.epsilons");
    const swapped = at(PER_SEED + 6);
    swapped.rows.reverse();
    refused(swapped, "resume.rows.0");
    const noNumber = at(PER_SEED);
    (noNumber.rows[1] as unknown as Record<string, unknown>).ratio = null;
    refused(noNumber, "resume.rows.1.ratio");
    // a row under way needs its seed's finished base pair
    refused({ ...at(7), base: null }, "resume.base");
    refused({ ...at(7), base: at(1).base }, "resume.base");
    const h1 = at(7);
    if (!h1.fine) throw new Error("checkpoint 7 is in a fine-tuning run");
    refused({ ...h1, fine: { ...h1.fine, integrable: null } }, "resume.fine.integrable");
    refused({ ...h1, fine: { ...h1.fine, kind: "h3" } }, "resume.fine.kind");
    // the inner Lax checkpoints are checked by learnLax, named where they sit
    refused({ ...h1, fine: { ...h1.fine, run: { ...h1.fine.run, step: 11 } } }, "resume.fine.run.step");
    const base = at(2);
    refused({ ...base, base: { ...base.base, params: "{}" } }, "resume.base.params");
  });
});
