import { describe, expect, it } from "vitest";
import { expectRefused } from "../../test/refused.js";
import { stoppedAtCheckpoint } from "../../test/stopped.js";
import { type PairCheckpoint, type PairRow, todaVersusHenonHeiles } from "./toda-henon-heiles.js";

// Two seeds, one exp [4] model per system, one draw each. With 10 Adam steps, 1 LM iteration and
// a checkpoint every 5, each run checkpoints at Adam steps 5, 10 and after its polish; a row's end adds one:
// 3 + 3 + 1 = 7 checkpoints per seed.
const BASE = {
  seeds: [0, 1],
  adam: 10,
  lbfgs: 1,
  hidden: [4],
  restarts: { max: 0, invariant: 0 },
  checkpointEvery: 5,
};
const PER_SEED = 7;

/** Runs the test, from `resume` if given, stopped when its checkpoint number `k + 1` is taken. */
function interrupted(
  k: number,
  resume?: PairCheckpoint,
): { checkpoints: PairCheckpoint[]; rows: PairRow[]; result?: PairRow[] } {
  const rows: PairRow[] = [];
  const r = stoppedAtCheckpoint(k, (onCheckpoint: (cp: PairCheckpoint) => void) =>
    todaVersusHenonHeiles({
      ...BASE,
      ...(resume ? { resume } : {}),
      onRow: (x) => rows.push(x),
      onCheckpoint,
    }),
  );
  return { ...r, rows };
}

describe("todaVersusHenonHeiles resumed from a checkpoint", () => {
  const whole = interrupted(Number.POSITIVE_INFINITY);
  const rows = whole.result as PairRow[];

  it("checkpoints during every run and after every row, at non-decreasing steps, without changing the rows", () => {
    expect(whole.checkpoints.map((cp) => [cp.rows.length, cp.inner?.system ?? null])).toEqual(
      [0, 1].flatMap((r) => [
        ...Array(3).fill([r, "toda"]),
        ...Array(3).fill([r, "henon-heiles"]),
        [r + 1, null],
      ]),
    );
    const steps = whole.checkpoints.map((cp) => cp.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    // four runs of 10 Adam steps and at most 1 polish iteration each
    expect(steps.at(-1)).toBeGreaterThanOrEqual(4 * 10);
    expect(steps.at(-1)).toBeLessThanOrEqual(4 * 11);
    expect(whole.rows).toEqual(rows);
    const { checkpointEvery: _, ...plain } = BASE;
    expect(todaVersusHenonHeiles(plain)).toEqual(rows);
  });

  // where it stops: in seed 0's Toda Adam, after its Toda polish, in its Hénon–Heiles Adam, at the
  // end of seed 0, after seed 1's Hénon–Heiles polish, and at the end
  it.each([
    [1, "Toda Adam step 5"],
    [3, "Toda polished"],
    [4, "Hénon–Heiles Adam step 5"],
    [PER_SEED, "end of seed 0"],
    [2 * PER_SEED - 1, "seed 1's Hénon–Heiles polished"],
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
      expect(resumed.checkpoints).toEqual(whole.checkpoints.slice(k));
    },
  );

  it("refuses a checkpoint that does not fit, naming the field under resume.", () => {
    const at = (k: number) => structuredClone(whole.checkpoints[k - 1]);
    const refused = (cp: unknown, field: string) =>
      expectRefused(() => todaVersusHenonHeiles({ ...BASE, resume: cp as PairCheckpoint }), field);
    refused("checkpoint", "resume");
    refused({ ...at(4), seeds: [0, 2] }, "resume.seeds");
    refused({ ...at(4), step: -1 }, "resume.step");
    const swapped = at(2 * PER_SEED);
    swapped.rows.reverse();
    refused(swapped, "resume.rows.0");
    const noNumber = at(PER_SEED);
    (noNumber.rows[0] as unknown as Record<string, unknown>).ratio = null;
    refused(noNumber, "resume.rows.0.ratio");
    refused({ ...at(2 * PER_SEED), inner: at(1).inner }, "resume.inner");
    const hh = at(4);
    if (!hh.inner) throw new Error("checkpoint 4 is in a run");
    refused({ ...hh, inner: { ...hh.inner, toda: null } }, "resume.inner.toda");
    refused({ ...hh, inner: { ...hh.inner, system: "ho" } }, "resume.inner.system");
    refused({ ...hh, inner: { ...hh.inner, run: null } }, "resume.inner.run");
    // the inner Lax checkpoint is checked by learnLax, named where it sits
    refused({ ...hh, inner: { ...hh.inner, run: { ...hh.inner.run, step: 11 } } }, "resume.inner.run.step");
    refused(
      { ...hh, inner: { ...hh.inner, run: { ...hh.inner.run, params: "{}" } } },
      "resume.inner.run.params",
    );
  });
});
