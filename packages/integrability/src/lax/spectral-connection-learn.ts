// The KdV connection family A(λ) learned end to end: every training point carries its own λ drawn
// from a range, the zero-curvature loss and its hinges apply at every (point, λ), and the spectral
// hinge keeps the family from being one connection for all λ. Validated at held-out λ (two of them
// outside the training range) on held-out trajectories, against the AKNS connection at the λ̂ read
// off the learned family.
import { add, concat, mean, mul, random, square, type Tensor, tensor, zeros } from "@physml/autodiff";
import { PhysmlInputError, seedPlus } from "@physml/lattice-core";
import { fieldMonodromyReport, type MonodromyReport } from "../eval/monodromy.js";
import { type FieldDataOptions, type FieldTrajectories, fieldSamples } from "../fields/field-system.js";
import type { ConnectionMetrics } from "./connection-checkpoint.js";
import {
  CONNECTION_RESTART_STRIDE,
  type ConnectionTrainingConfig,
  connectionMetrics,
  trainConnection,
} from "./connection-trainer.js";
import { type ConnectionValidation, validateConnection } from "./connection-validation.js";
import { fieldConnectionSetup, withSeparation } from "./field-connection-systems.js";
import type { LaxParams } from "./model.js";
import {
  SpectralConnectionModel,
  spectralInvariant,
  spectralSlopeGaps,
  spectralSlopes,
} from "./spectral-connection.js";
import {
  type ConnectionFns,
  type ConnectionWeights,
  fieldBatch,
  tracelessPart,
  zeroCurvatureLoss,
  zeroCurvatureResidual,
  zeroCurvatureResiduals,
} from "./zero-curvature.js";
import { quadraticLift } from "./zero-curvature-learn.js";

/** The training range of λ when none is given. */
export const DEFAULT_SPECTRAL_RANGE: readonly [number, number] = [-0.5, 0.5];

/**
 * Where in the range [a, b] the held-out λ lie, as fractions of b − a from a: two outside it
 * (extrapolation) and three inside. Training draws λ uniformly, so no held-out value was trained on.
 */
export const HELD_OUT_FRACTIONS = [-0.2, 0.15, 0.45, 0.8, 1.2] as const;

/** The held-out λ of a training range (see {@link HELD_OUT_FRACTIONS}). */
export function heldOutLambdas(range: readonly [number, number]): number[] {
  const [a, b] = range;
  return HELD_OUT_FRACTIONS.map((q) => a + q * (b - a));
}

/** Points of the range at which the spectral hinge reads the slope dλ̂/dλ. */
const SLOPE_POINTS = 5;

/**
 * The family's training budget at `physml integrability connection --spectral-range`'s defaults:
 * at the fixed-λ learner's 200 Adam steps only seed 0 of 0–2 passed, at 1000 seeds 0 and 1, and
 * seed 2 at its fifth attempt (4 restarts; measured, MEASUREMENTS.md "KdV connection family A(λ)").
 */
export const SPECTRAL_CONNECTION_BUDGET = { samples: 1024, adamSteps: 1000, restarts: 5 } as const;

/** Configuration of {@link learnKdvSpectralConnection}. */
export interface SpectralConnectionConfig extends ConnectionTrainingConfig {
  /** The range λ is drawn from, a < b (default {@link DEFAULT_SPECTRAL_RANGE}). */
  range?: readonly [number, number];
  /** Degree in λ of A_x (default 1, AKNS's). */
  degreeX?: number;
  /** Degree in λ of A_t (default 2, AKNS's). */
  degreeT?: number;
  /** The λ at which the family is validated (default {@link heldOutLambdas} of the range). */
  heldOut?: readonly number[];
  /** Training points, each with its own λ (default {@link SPECTRAL_CONNECTION_BUDGET}'s). */
  samples?: number;
  /** Trajectories (default 6 for training); the held-out ones are as many more with other seeds. */
  data?: Partial<Omit<FieldDataOptions, "seed">>;
  /** Loss weights (default the fixed-λ KdV learner's). */
  weights?: ConnectionWeights;
  /** α_λ of the spectral hinge (default 1). */
  spectralWeight?: number;
  seed: number;
}

/** The learned family at one held-out λ. */
export interface SpectralHeldOut {
  lambda: number;
  /** λ̂(λ), the family's spectral invariant (see `spectralInvariant`). */
  lambdaHat: number;
  /** dλ̂/dλ there. */
  slope: number;
  /** Held-out |∂_t A_x − ∂_x A_t + [A_x, A_t]| / |∂_t A_x| at this λ. */
  residual: number;
  residualByTrajectory: { kind: string; residual: number }[];
  monodromy: MonodromyReport;
  /** The AKNS connection's monodromy at λ̂(λ) on the same trajectories. */
  reference: MonodromyReport & { value: number };
  /**
   * max |tr Ψ − tr Ψ_AKNS(λ̂)| over the checked trajectories' snapshots, each over the largest
   * |tr Ψ_AKNS| along its trajectory: a gauge of AKNS at λ̂ (constant or periodic) has the same trace.
   */
  traceMismatch: number;
  validation: ConnectionValidation;
}

/** What {@link learnKdvSpectralConnection} returns. */
export interface SpectralConnectionResult {
  model: SpectralConnectionModel;
  params: LaxParams;
  /** The learned connection at λ, traceless part (as evaluated). */
  family(lambda: number): ConnectionFns;
  history: ConnectionMetrics[];
  final: ConnectionMetrics;
  attempt: number;
  attemptLosses: number[];
  range: [number, number];
  heldOut: SpectralHeldOut[];
  /** The held-out trajectories. */
  trajectories: FieldTrajectories;
  /** Passed when every held-out λ passed; each failure names its λ. */
  validation: ConnectionValidation;
  seconds: { train: number; evaluate: number };
}

/** Checks a λ range: two finite numbers, a < b. */
export function checkSpectralRange(range: readonly number[], field = "range"): [number, number] {
  if (range.length !== 2 || !range.every(Number.isFinite) || !(range[0] < range[1]))
    throw new PhysmlInputError(field, "two finite numbers a < b", range.join(","));
  return [range[0], range[1]];
}

/** Trains the KdV connection family A(λ) and validates it at held-out λ on held-out trajectories. */
export function learnKdvSpectralConnection(c: SpectralConnectionConfig): SpectralConnectionResult {
  for (const [field, v] of [
    ["adamSteps", c.adamSteps],
    ["polishIter", c.polishIter],
  ] as const)
    if (!Number.isInteger(v) || v < 0) throw new PhysmlInputError(field, "an integer >= 0", v);
  const range = checkSpectralRange(c.range ?? DEFAULT_SPECTRAL_RANGE);
  const heldLambdas = [...(c.heldOut ?? heldOutLambdas(range))];
  if (heldLambdas.length === 0 || !heldLambdas.every(Number.isFinite))
    throw new PhysmlInputError("heldOut", "one or more finite numbers", heldLambdas.join(","));
  const alpha = c.spectralWeight ?? 1;
  if (!(alpha >= 0)) throw new PhysmlInputError("spectralWeight", "a number >= 0", alpha);
  const setup = fieldConnectionSetup("kdv");
  const system = setup.system;
  const t0 = performance.now();
  const train = system.trajectories({ trajectories: 6, ...c.data, seed: c.seed });
  const held = system.trajectories({ trajectories: 6, ...c.data, seed: seedPlus(c.seed, 1000) });
  const samples = c.samples ?? SPECTRAL_CONNECTION_BUDGET.samples;
  const batch = fieldBatch(fieldSamples(system, train, samples, seedPlus(c.seed, 1)));
  // one λ per training point, uniform on the range
  const u = random.uniform(random.key(seedPlus(c.seed, 4)), [samples, 1]);
  const lambdas = add(mul(u, range[1] - range[0]), range[0]);
  const heldBatch = fieldBatch(fieldSamples(system, held, 512, seedPlus(c.seed, 2)));
  const m = system.featureNames.length;
  const modelOptions = {
    inputs: m + (m * (m + 1)) / 2,
    size: setup.size,
    degreeX: c.degreeX ?? 1,
    degreeT: c.degreeT ?? 2,
    seed: c.seed,
    features: quadraticLift,
  };
  const model = new SpectralConnectionModel(modelOptions);
  const w = c.weights ?? setup.weights;
  const slopeAt = tensor(
    Float64Array.from(
      { length: SLOPE_POINTS },
      (_, k) => range[0] + ((range[1] - range[0]) * k) / (SLOPE_POINTS - 1),
    ),
    [SLOPE_POINTS, 1],
  );
  const vacuum = zeros([SLOPE_POINTS, m]);
  const gaps = (p: LaxParams) => spectralSlopeGaps((l) => model.Ax(p, vacuum, l), slopeAt);
  const slopeHinge = (p: LaxParams) => mean(square(gaps(p)));
  const trained = trainConnection(
    c,
    {
      hidden: [],
      template: model.init(),
      restart: (k) =>
        new SpectralConnectionModel({
          ...modelOptions,
          seed: seedPlus(c.seed, CONNECTION_RESTART_STRIDE * k),
        }).init(),
      loss: (p) => add(zeroCurvatureLoss(model.at(p, lambdas), batch, w).total, mul(slopeHinge(p), alpha)),
      residuals: (p) =>
        concat(
          [
            zeroCurvatureResiduals(model.at(p, lambdas), batch, w),
            mul(gaps(p), Math.sqrt(alpha / SLOPE_POINTS)),
          ],
          0,
        ),
      metrics: (p, step) => {
        const record = connectionMetrics(zeroCurvatureLoss(model.at(p, lambdas), batch, w), step);
        const spectral = slopeHinge(p).item();
        return { ...record, total: record.total + alpha * spectral, spectralSlope: spectral };
      },
    },
    t0,
  );
  const { params } = trained;
  const t1 = performance.now();
  const family = (lambda: number): ConnectionFns => {
    const raw = model.at(params, lambda);
    return { size: raw.size, Ax: (f) => tracelessPart(raw.Ax(f)), At: (f) => tracelessPart(raw.At(f)) };
  };
  const heldOut = heldLambdas.map((lambda) =>
    heldOutCheck(model, params, lambda, family(lambda), { system, held, heldBatch, seed: c.seed, setup }),
  );
  return {
    model,
    params,
    family,
    history: trained.history,
    final: trained.final,
    attempt: trained.attempt,
    attemptLosses: trained.attemptLosses,
    range,
    heldOut,
    trajectories: held,
    validation: {
      passed: heldOut.every((h) => h.validation.passed),
      failures: heldOut.flatMap((h) =>
        h.validation.failures.map((f) => `at λ = ${h.lambda.toPrecision(3)}: ${f}`),
      ),
      checked: heldOut[0].validation.checked,
    },
    seconds: { train: trained.trainSeconds, evaluate: (performance.now() - t1) / 1000 },
  };
}

/** The learned family at one held-out λ: residuals, monodromy, λ̂ and the AKNS reference there. */
function heldOutCheck(
  model: SpectralConnectionModel,
  params: LaxParams,
  lambda: number,
  conn: ConnectionFns,
  d: {
    system: ReturnType<typeof fieldConnectionSetup>["system"];
    held: FieldTrajectories;
    heldBatch: ReturnType<typeof fieldBatch>;
    seed: number;
    setup: ReturnType<typeof fieldConnectionSetup>;
  },
): SpectralHeldOut {
  const { system, held } = d;
  const m = system.featureNames.length;
  const l = tensor(Float64Array.of(lambda), [1, 1]);
  const vacuum = zeros([1, m]);
  const vacuumAx = (x: Tensor) => model.Ax(params, vacuum, x);
  const lambdaHat = spectralInvariant(vacuumAx(l)).toFloat64Array()[0];
  const slope = spectralSlopes(vacuumAx, l).toFloat64Array()[0];
  const monodromy = fieldMonodromyReport(conn, system, held);
  const reference = { ...fieldMonodromyReport(d.setup.known(lambdaHat), system, held), value: lambdaHat };
  const residual = zeroCurvatureResidual(conn, d.heldBatch);
  const checked = validateConnection(
    {
      residual,
      variation: monodromy.variation,
      kinds: held.kinds,
      quadratureError: monodromy.quadratureError,
    },
    undefined,
    system.travelling,
  );
  const validation = withSeparation(checked, monodromy.variationVsAcross);
  return {
    lambda,
    lambdaHat,
    slope,
    traceMismatch: traceMismatch(monodromy.traces, reference.traces, validation.checked),
    residual,
    residualByTrajectory: held.states.map((states, b) => ({
      kind: held.kinds[b],
      residual: zeroCurvatureResidual(
        conn,
        fieldBatch(fieldSamples(system, { ...held, states: [states] }, 256, seedPlus(d.seed, 3 + b))),
      ),
    })),
    monodromy,
    reference,
    validation,
  };
}

/** See {@link SpectralHeldOut.traceMismatch} (infinite when a trace is not finite). */
export function traceMismatch(traces: number[][], reference: number[][], checked: readonly number[]): number {
  let worst = 0;
  for (const b of checked) {
    const scale = Math.max(...reference[b].map(Math.abs));
    for (const [s, t] of traces[b].entries()) worst = Math.max(worst, Math.abs(t - reference[b][s]) / scale);
  }
  return Number.isFinite(worst) ? worst : Number.POSITIVE_INFINITY;
}
