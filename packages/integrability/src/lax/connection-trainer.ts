// The training of a connection model, whatever it is a function of: Adam on the loss, then a
// Levenberg–Marquardt or L-BFGS polish, restarts from other initialisations after a stall, loss
// records and checkpoints to resume from. The fixed-λ learner (zero-curvature-learn.ts) and the
// λ-family learner (spectral-connection-learn.ts) differ only in the objective they hand it.
import { type Tensor, valueAndGrad } from "@physml/autodiff";
import { checkParamsLike, saveParams } from "@physml/autodiff/nn";
import { adam, lbfgs } from "@physml/autodiff/optim";
import { PhysmlInputError } from "@physml/lattice-core";
import {
  type ConnectionCheckpoint,
  type ConnectionMetrics,
  type ConnectionPolishProgress,
  checkConnectionCheckpoint,
  type EarlierAttempt,
  encodeConnectionCheckpoint,
} from "./connection-checkpoint.js";
import { levenbergMarquardt } from "./levenberg.js";
import type { LaxParams } from "./model.js";
import type { ConnectionLossTerms } from "./zero-curvature.js";

/**
 * A training 𝓛_ZC at or above this after the polish is a stall: the sine-Gordon stalls measured
 * ended at 3e-4 to 8e-4, the runs that found the known connection at 1e-20 and below.
 */
export const STALL_LOSS = 1e-10;

/**
 * Restart k of a connection learner initialises its model from seed + k·this, a prime, so that the
 * restarts of nearby seeds do not share an initialisation.
 */
export const CONNECTION_RESTART_STRIDE = 7919;

/** How a connection is trained: the optimisers, restarts, records and checkpoints. */
export interface ConnectionTrainingConfig {
  adamSteps: number;
  /** Iterations of the polish after Adam. */
  polishIter: number;
  /** Levenberg–Marquardt (default; small models) or L-BFGS. */
  polish?: "lm" | "lbfgs";
  lr?: number;
  /**
   * Start from these parameters instead of the seeded initialisation (the shapes of the model's
   * `init()`; e.g. a known connection written in the model's parameters, perturbed, to check that
   * training returns to it). Ignored when resuming.
   */
  init?: LaxParams;
  /**
   * Train again from another initialisation, up to this many times, while the training 𝓛_ZC ends
   * at or above {@link STALL_LOSS} (default 0); the lowest training 𝓛_ZC then chooses the attempt.
   */
  restarts?: number;
  /** Record the metrics every this many Adam steps and Levenberg–Marquardt iterations (default 50). */
  logEvery?: number;
  onMetrics?: (m: ConnectionMetrics) => void;
  /**
   * Called with the run's checkpoint every `checkpointEvery` Adam steps, at the end of Adam, every
   * `checkpointEvery` Levenberg–Marquardt iterations and after the polish (JSON-serialisable: store
   * it to resume).
   */
  onCheckpoint?: (cp: ConnectionCheckpoint) => void;
  /** Adam steps (and Levenberg–Marquardt iterations) between checkpoints (default `logEvery`). */
  checkpointEvery?: number;
  /**
   * Continue from this checkpoint of a run with the same configuration (a PhysmlInputError under
   * `resume.` names what does not fit). The learned connection is bit for bit the uninterrupted
   * run's; an interrupted Levenberg–Marquardt polish goes on from its last checkpoint, an
   * interrupted L-BFGS polish restarts from the end of Adam, and the evaluation is redone.
   */
  resume?: ConnectionCheckpoint;
}

/** What is trained: the model's parameters and the loss on the training batch. */
export interface ConnectionObjective {
  /** The model's hidden widths (stored in checkpoints and checked on resume). */
  hidden: readonly number[];
  /** The model's seeded initial parameters (attempt 0), the shapes every checkpoint must have. */
  template: LaxParams;
  /** Initial parameters of restart k ≥ 1. */
  restart(k: number): LaxParams;
  /** The total loss, for Adam and L-BFGS. */
  loss(p: LaxParams): Tensor;
  /** The loss as a residual vector, for Levenberg–Marquardt. */
  residuals(p: LaxParams): Tensor;
  /** The loss terms at `p` as a record. */
  metrics(p: LaxParams, step: number): ConnectionMetrics;
}

/** What {@link trainConnection} returns. */
export interface ConnectionTrainingResult {
  params: LaxParams;
  /** Every attempt's loss history, in order (a restart's records carry its `attempt`). */
  history: ConnectionMetrics[];
  /** The chosen attempt's last loss record. */
  final: ConnectionMetrics;
  /** The chosen attempt (0: the seeded initialisation). */
  attempt: number;
  /** The training 𝓛_ZC each attempt ended at. */
  attemptLosses: number[];
  /** Seconds since `t0`, plus those of the processes before a resume. */
  trainSeconds: number;
}

/**
 * Trains `o` as `c` says; `t0` (performance.now()) is when the run started, so a checkpoint's
 * seconds include the data's preparation.
 */
export function trainConnection(
  c: ConnectionTrainingConfig,
  o: ConnectionObjective,
  t0: number,
): ConnectionTrainingResult {
  const logEvery = c.logEvery ?? 50;
  const every = c.checkpointEvery ?? logEvery;
  if (!Number.isInteger(every) || every < 1)
    throw new PhysmlInputError("checkpointEvery", "an integer >= 1", every);
  const restarts = c.restarts ?? 0;
  if (!Number.isInteger(restarts) || restarts < 0)
    throw new PhysmlInputError("restarts", "an integer >= 0", restarts);
  const { hidden } = o;
  const resumed =
    c.resume === undefined
      ? undefined
      : checkConnectionCheckpoint(c.resume, {
          hidden,
          adamSteps: c.adamSteps,
          polish: c.polish ?? "lm",
          polishIter: c.polishIter,
          restarts,
          template: o.template,
        });
  const vg = valueAndGrad(o.loss) as (p: LaxParams) => [Tensor, LaxParams];
  const opt = adam({ lr: c.lr ?? 3e-3 });
  // the finished attempts (stalls), kept as stored so a checkpoint can carry them
  const earlier: EarlierAttempt[] = resumed?.cp.earlier?.map((e) => ({ ...e })) ?? [];
  const earlierParams = resumed?.earlier.map((e) => e.params) ?? [];
  let attempt = resumed?.cp.attempt ?? 0;
  // attempt 0 starts from the seeded initialisation (or `init`), a restart from another seed's
  const start = (k: number) =>
    k > 0 ? o.restart(k) : c.init ? checkParamsLike(c.init, o.template, "init") : o.template;
  let history: ConnectionMetrics[] = resumed ? resumed.cp.history.map((m) => ({ ...m })) : [];
  const log = (m: ConnectionMetrics) => {
    const record = attempt > 0 ? { ...m, attempt } : m;
    history.push(record);
    c.onMetrics?.(record);
  };
  let params = resumed?.state.params ?? start(0);
  let state = resumed?.state.adam ?? opt.init(params);
  let step = resumed?.state.step ?? 0;
  const save = (phase: ConnectionCheckpoint["phase"], progress?: ConnectionPolishProgress) =>
    c.onCheckpoint?.(
      encodeConnectionCheckpoint(
        phase,
        hidden,
        { params, adam: state, step },
        history,
        (resumed?.cp.seconds ?? 0) + (performance.now() - t0) / 1000,
        { attempt, earlier },
        progress,
      ),
    );
  // where an interrupted Levenberg–Marquardt polish stands (a resumed run's, until it is used)
  let polishFrom = resumed?.cp.phase === "polish" ? resumed.cp.polish : undefined;
  // the polish, from the end of Adam (or from where an interrupted one stood)
  const polish = () => {
    if (c.polishIter === 0) return;
    if ((c.polish ?? "lm") === "lm") {
      // the step count at the end of Adam
      const adamEnd = step - (polishFrom?.iterations ?? 0);
      const r = levenbergMarquardt(o.residuals, params, {
        maxIter: c.polishIter,
        tol: 1e-20,
        ...(polishFrom ? { start: { iterations: polishFrom.iterations, lambda: polishFrom.lambda } } : {}),
        // records and checkpoints as in Adam: a long polish shows its progress, and an
        // interrupted one loses none of its finished iterations
        onIteration: (s) => {
          if (s.iterations === c.polishIter) return;
          const [record, checkpoint] = [s.iterations % logEvery === 0, s.iterations % every === 0];
          if (!record && !checkpoint) return;
          [params, step] = [s.params, adamEnd + s.iterations];
          if (record) log(o.metrics(params, step));
          if (checkpoint) save("polish", { method: "lm", iterations: s.iterations, lambda: s.lambda });
        },
      });
      polishFrom = undefined;
      [params, step] = [r.params, adamEnd + r.iterations];
    } else {
      const r = lbfgs().minimize(vg, params, { maxIter: c.polishIter, gtol: 1e-10 });
      [params, step] = [r.params, step + r.iterations];
    }
  };
  let polished = resumed?.cp.phase === "polished";
  let fresh = !resumed;
  let final: ConnectionMetrics;
  for (;;) {
    if (fresh) log(o.metrics(params, 0));
    if (!polished) {
      for (let i = step + 1; i <= c.adamSteps; i++) {
        const [, g] = vg(params);
        ({ params, state } = opt.step(params, g, state));
        step = i;
        if (i % logEvery === 0) log(o.metrics(params, i));
        if (i % every === 0 || i === c.adamSteps) save("adam");
      }
      polish();
    }
    final = o.metrics(params, step);
    if (!polished) {
      if (history[history.length - 1].step !== step) log(final);
      save("polished");
    }
    if (final.lax < STALL_LOSS || attempt >= restarts) break;
    earlier.push({ lax: final.lax, params: saveParams(params), history });
    earlierParams.push(params);
    attempt += 1;
    history = [];
    params = start(attempt);
    state = opt.init(params);
    [step, polished, fresh] = [0, false, true];
  }
  // the training 𝓛_ZC chooses among the attempts (the last one, unless an earlier stalled lower)
  const losses = [...earlier.map((e) => e.lax), final.lax];
  const rank = (v: number) => (Number.isNaN(v) ? Number.POSITIVE_INFINITY : v);
  const chosen = losses.reduce((best, v, k) => (rank(v) < rank(losses[best]) ? k : best), losses.length - 1);
  if (chosen < earlier.length) {
    params = earlierParams[chosen];
    final = earlier[chosen].history[earlier[chosen].history.length - 1];
  }
  return {
    params,
    history: [...earlier.flatMap((e) => e.history), ...history],
    final,
    attempt: chosen,
    attemptLosses: losses,
    trainSeconds: (resumed?.cp.seconds ?? 0) + (performance.now() - t0) / 1000,
  };
}

/** The loss record of `terms` at `step` (the hinges' terms where weighted). */
export function connectionMetrics(t: ConnectionLossTerms, step: number): ConnectionMetrics {
  return {
    step,
    total: t.total.item(),
    lax: t.lax.item(),
    l: t.l.item(),
    lm: t.lm.item(),
    mc: t.mc.item(),
    spectrum: t.spectrum.item(),
    ...(t.commutator ? { commutator: t.commutator.item() } : {}),
    ...(t.killing ? { killing: t.killing.item() } : {}),
    ...(t.killingSpan ? { killingSpan: t.killingSpan.item() } : {}),
    ...(t.equation ? { equation: t.equation.item() } : {}),
  };
}
