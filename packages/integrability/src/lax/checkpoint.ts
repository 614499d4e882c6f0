// A Lax run's checkpoint as plain JSON: where the ladder is, the rungs already finished, and the
// current model's trainer state. Parameters and Adam moments go through autodiff's saveParams,
// whose numbers round-trip exactly, so a run resumed from a checkpoint continues bit for bit.
import { loadParams, saveParams, type Tensor, tensor, treeLeaves, treePaths } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import type { LaxParams } from "./model.js";
import type { LaxMetrics, LaxTrainState } from "./train.js";

/** One model tried: its hidden widths, loss history, final loss and held-out residual. */
export interface LaxRung {
  hidden: number[];
  /** The loss history of this model (Adam log points, then the polished loss). */
  history: LaxMetrics[];
  final: LaxMetrics;
  laxResidual: number;
}

/**
 * Everything a Lax run needs to continue (JSON-serialisable). `phase: "adam"` is taken during the
 * Adam steps of rung `rung`; `"polished"` after its polish, once it is in `rungs`. An interrupted
 * polish is not checkpointed: it restarts from the Adam checkpoint taken at the end of Adam.
 */
export interface LaxCheckpoint {
  /** Index in the ladder of the model being trained (adam) or just finished (polished). */
  rung: number;
  phase: "adam" | "polished";
  /** Hidden widths of that model. */
  hidden: number[];
  /** Its parameters, as autodiff's saveParams writes them. */
  params: string;
  /** Adam's step count and moments (the moments as saveParams writes a list of vectors). */
  adam: { step: number; m: string; v: string };
  /** Steps of this model so far: Adam steps, plus the polish iterations once polished. */
  step: number;
  /** This model's loss history so far. */
  history: LaxMetrics[];
  /** The models finished so far, in ladder order (polished: this one included, last). */
  rungs: LaxRung[];
}

const vectors = (xs: readonly Float64Array[]): string =>
  saveParams(xs.map((x) => tensor(Float64Array.from(x), [x.length])));

/** The checkpoint of a run at this point. */
export function encodeLaxCheckpoint(p: {
  rung: number;
  phase: LaxCheckpoint["phase"];
  hidden: readonly number[];
  state: LaxTrainState;
  history: readonly LaxMetrics[];
  rungs: readonly LaxRung[];
}): LaxCheckpoint {
  const { state } = p;
  return {
    rung: p.rung,
    phase: p.phase,
    hidden: [...p.hidden],
    params: saveParams(state.params),
    adam: { step: state.adam.step, m: vectors(state.adam.m), v: vectors(state.adam.v) },
    step: state.step,
    history: p.history.map((m) => ({ ...m })),
    rungs: p.rungs.map((r) => ({ ...r, hidden: [...r.hidden], history: r.history.map((m) => ({ ...m })) })),
  };
}

/**
 * Steps of the whole run at a checkpoint (every finished model's steps plus the current one's):
 * non-decreasing along a run, so the newest checkpoint of a run directory is the one to resume.
 */
export function laxCheckpointStep(cp: LaxCheckpoint): number {
  const done = cp.rungs.reduce((s, r) => s + r.final.step, 0);
  return cp.phase === "adam" ? done + cp.step : done;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const sameWidths = (a: unknown, b: readonly number[]) =>
  Array.isArray(a) && a.length === b.length && a.every((w, i) => w === b[i]);

const METRIC_KEYS = ["step", "total", "lax", "l", "lm", "mc", "spectrum", "invariant"] as const;

function checkHistory(h: unknown, field: string, maxStep: number): LaxMetrics[] {
  if (!Array.isArray(h)) throw new PhysmlInputError(field, "a list of loss records", typeof h);
  let prev = -1;
  h.forEach((m, i) => {
    if (!isObject(m) || !METRIC_KEYS.every((k) => typeof m[k] === "number"))
      throw new PhysmlInputError(`${field}.${i}`, `a loss record with ${METRIC_KEYS.join(", ")}`, typeof m);
    const s = m.step as number;
    if (!isCount(s) || s <= prev || s > maxStep)
      throw new PhysmlInputError(`${field}.${i}.step`, `an increasing step in [0, ${maxStep}]`, s);
    prev = s;
  });
  return h as LaxMetrics[];
}

function loadVectors(json: unknown, field: string, sizes: number[]): Float64Array[] {
  let leaves: Tensor[];
  try {
    leaves = treeLeaves(loadParams(String(json)), field);
  } catch (e) {
    throw new PhysmlInputError(field, "vectors written by saveParams", typeof json, (e as Error).message);
  }
  if (leaves.length !== sizes.length || leaves.some((t, i) => t.size !== sizes[i]))
    throw new PhysmlInputError(
      field,
      `${sizes.length} vectors of sizes ${sizes.join(", ")}`,
      `${leaves.length} vectors of sizes ${leaves.map((t) => t.size).join(", ")}`,
    );
  return leaves.map((t) => Float64Array.from(t.toFloat64Array()));
}

/**
 * Checks a stored checkpoint against the run it is to continue: the ladder (`ladder[rung]` and
 * the finished rungs' widths), the step counts, and every parameter's path and shape against
 * `template(hidden)` (the freshly built model's parameters). Throws a PhysmlInputError naming the
 * field under `resume.`; returns the checkpoint and its decoded trainer state.
 */
export function checkLaxCheckpoint(
  raw: unknown,
  ladder: readonly (readonly number[])[],
  adamSteps: number,
  template: (hidden: readonly number[]) => LaxParams,
): { cp: LaxCheckpoint; state: LaxTrainState } {
  const f = (k: string) => `resume.${k}`;
  if (!isObject(raw)) throw new PhysmlInputError("resume", "a Lax checkpoint (an object)", typeof raw);
  const { rung, phase, hidden, step, adam, rungs } = raw;
  if (!isCount(rung) || rung >= ladder.length)
    throw new PhysmlInputError(
      f("rung"),
      `an integer in [0, ${ladder.length - 1}] (a rung of the ladder)`,
      rung,
    );
  if (phase !== "adam" && phase !== "polished")
    throw new PhysmlInputError(
      f("phase"),
      "adam | polished",
      typeof phase === "string" ? phase : typeof phase,
    );
  if (!sameWidths(hidden, ladder[rung]))
    throw new PhysmlInputError(
      f("hidden"),
      `[${ladder[rung].join(", ")}] (rung ${rung} of the ladder)`,
      String(hidden),
    );
  const done = phase === "adam" ? rung : rung + 1;
  if (!Array.isArray(rungs) || rungs.length !== done)
    throw new PhysmlInputError(
      f("rungs"),
      `${done} finished rungs`,
      Array.isArray(rungs) ? rungs.length : typeof rungs,
    );
  rungs.forEach((r, i) => {
    if (!isObject(r) || !sameWidths(r.hidden, ladder[i]))
      throw new PhysmlInputError(
        f(`rungs.${i}.hidden`),
        `[${ladder[i].join(", ")}]`,
        String(isObject(r) ? r.hidden : r),
      );
    if (typeof r.laxResidual !== "number")
      throw new PhysmlInputError(f(`rungs.${i}.laxResidual`), "a number", typeof r.laxResidual);
    const hist = checkHistory(r.history, f(`rungs.${i}.history`), Number.MAX_SAFE_INTEGER);
    const last = hist[hist.length - 1];
    if (!isObject(r.final) || !last || last.step !== r.final.step)
      throw new PhysmlInputError(f(`rungs.${i}.final`), "the last entry of its history", typeof r.final);
  });
  const maxStep = phase === "adam" ? adamSteps : Number.MAX_SAFE_INTEGER;
  if (!isCount(step) || step > maxStep)
    throw new PhysmlInputError(f("step"), `an integer in [0, ${maxStep}]`, step);
  const history = checkHistory(raw.history, f("history"), step);
  if (history.length === 0) throw new PhysmlInputError(f("history"), "at least the step-0 record", 0);
  const tmpl = treePaths(template(ladder[rung]));
  let params: LaxParams;
  try {
    params = loadParams(String(raw.params)) as unknown as LaxParams;
  } catch (e) {
    throw new PhysmlInputError(
      f("params"),
      "parameters written by saveParams",
      typeof raw.params,
      (e as Error).message,
    );
  }
  const got = treePaths(params);
  const shapes = (ps: [string, Tensor][]) => ps.map(([p, t]) => `${p}[${t.shape.join("×")}]`).join(" ");
  if (shapes(got) !== shapes(tmpl))
    throw new PhysmlInputError(f("params"), `the model's parameters ${shapes(tmpl)}`, shapes(got));
  if (!isObject(adam) || !isCount(adam.step) || (phase === "adam" && adam.step !== step))
    throw new PhysmlInputError(
      f("adam.step"),
      phase === "adam" ? `${step} (the rung's step)` : "an integer >= 0",
      isObject(adam) ? adam.step : typeof adam,
    );
  const sizes = tmpl.map(([, t]) => t.size);
  const state: LaxTrainState = {
    params,
    adam: {
      step: adam.step,
      m: loadVectors(adam.m, f("adam.m"), sizes),
      v: loadVectors(adam.v, f("adam.v"), sizes),
    },
    step,
  };
  return { cp: raw as unknown as LaxCheckpoint, state };
}
