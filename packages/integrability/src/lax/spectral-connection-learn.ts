// A connection family A(λ) (KdV's, sine-Gordon's A(k), Heisenberg's) learned end to end: every training point
// carries its own λ drawn from a range, the zero-curvature loss and its hinges apply at every
// (point, λ), and the spectral hinge keeps the family from being one connection for all λ.
// Validated at held-out λ (two of them outside the training range) on held-out trajectories,
// against the known connection at the λ̂ read off the learned family.
import { add, concat, mean, mul, random, square, type Tensor, tensor } from "@physml/autodiff";
import type { LinearParams } from "@physml/autodiff/nn";
import { PhysmlInputError, seedPlus } from "@physml/lattice-core";
import { fieldMonodromyReport, type MonodromyReport } from "../eval/monodromy.js";
import { type FieldDataOptions, type FieldTrajectories, fieldSamples } from "../fields/field-system.js";
import { cartanRatio } from "./cartan-ratio.js";
import type { ConnectionCheckpoint, ConnectionMetrics } from "./connection-checkpoint.js";
import {
  CONNECTION_RESTART_STRIDE,
  type ConnectionTrainingConfig,
  connectionMetrics,
  trainConnection,
} from "./connection-trainer.js";
import { type ConnectionValidation, validateConnection } from "./connection-validation.js";
import { fieldConnectionSetup, learnLaxConnection, withSeparation } from "./field-connection-systems.js";
import type { LaxParams } from "./model.js";
import { liftedInputs, quadraticLift } from "./quadratic-lift.js";
import {
  readoutSlopeGaps,
  readoutSlopes,
  SPECTRAL_SLOPE_FLOOR,
  SpectralConnectionModel,
} from "./spectral-connection.js";
import {
  checkFamilyRange,
  drawParameters,
  heldOutParameters,
  readoutSign,
  type SpectralFamily,
  type SpectralFamilySystemName,
  spectralFamily,
  spreadParameters,
} from "./spectral-families.js";
import {
  antisymmetricCoefficient,
  boostedSineGordonFamily,
  type FixedStartFamily,
  type FixedStartRecord,
  familyFromFixed,
  fixedStartRecordOf,
  galileanKdvFamily,
} from "./spectral-fixed-start.js";
import {
  type ConnectionFns,
  type ConnectionWeights,
  fieldBatch,
  tracelessPart,
  zeroCurvatureLoss,
  zeroCurvatureResidual,
  zeroCurvatureResiduals,
} from "./zero-curvature.js";
import { FIXED_CONNECTION_BUDGET } from "./zero-curvature-learn.js";

export { HELD_OUT_FRACTIONS, heldOutLambdas } from "./spectral-families.js";
export type { FixedStartRecord } from "./spectral-fixed-start.js";

/** The training range of λ when none is given (KdV's). */
export const DEFAULT_SPECTRAL_RANGE: readonly [number, number] = spectralFamily("kdv").defaultRange;

/** Points of the range at which the spectral hinge reads the slope dλ̂/dλ. */
const SLOPE_POINTS = 5;

/**
 * The family's training budget at `physml integrability connection --spectral-range`'s defaults:
 * at the fixed-λ learner's 200 Adam steps only seed 0 of 0–2 passed, at 1000 seeds 0 and 1, and
 * seed 2 at its fifth attempt (4 restarts; measured, MEASUREMENTS.md "KdV connection family A(λ)").
 */
export const SPECTRAL_CONNECTION_BUDGET = { samples: 1024, adamSteps: 1000, restarts: 5 } as const;

/**
 * The family's budget from the fixed-λ connection (`start: "fixed"`): Levenberg–Marquardt polishes
 * a start that is flat already (seed 0: Σr² 2.7e-20), so no Adam (1000 Adam steps moved seed 0's
 * family along itself, λ̂ = −0.949λ, and LM brought it back to the same 𝓛_ZC in 152 s against
 * 67 s), and no restarts (a restart starts from a random draw, from which no measured seed of
 * Heisenberg's or sine-Gordon's family passed). Measured: MEASUREMENTS.md "Heisenberg connection
 * family A(λ)"; sine-Gordon's boosted start needs 0–21 LM iterations ("Sine-Gordon connection
 * family A(k)"), KdV's Galilean one 0–3 ("KdV connection family A(λ)").
 */
export const SPECTRAL_FROM_FIXED_BUDGET = { samples: 1024, adamSteps: 0, restarts: 0 } as const;

/**
 * A family's weights from the fixed start (given none): its own without 𝓛_MC (Σ|A_x| ≥ 1, which
 * keeps a random start off A_x = 0). The start is flat already and the spectral hinge and 𝓛_NA keep
 * it from collapsing, while 𝓛_MC only moves it: the Galilean boosts of KdV's A* (traceless) fall
 * below Σ|A_x| = 1 somewhere in the range for seeds 0, 3 and 6 of 0–11 (Σr² 0.013–0.052 at the
 * start, all of it 𝓛_MC), and Levenberg–Marquardt took 21–60 iterations to come back, seed 3 to
 * 𝓛_ZC 7.1e-15 only; without it their starts are flat to ≤ 6.3e-21 and need none (MEASUREMENTS.md
 * "KdV connection family A(λ)"). Sine-Gordon's and Heisenberg's family weights have no 𝓛_MC anyway.
 */
function fromFixedWeights(w: ConnectionWeights, start: SpectralStart): ConnectionWeights {
  return start === "fixed" ? { ...w, mc: 0 } : w;
}

/** Configuration of {@link learnSpectralConnection}. */
export interface SpectralConnectionConfig extends ConnectionTrainingConfig {
  /**
   * The range λ is drawn from, a < b (default the system's: KdV {@link DEFAULT_SPECTRAL_RANGE},
   * sine-Gordon k ∈ [0.5, 2], Heisenberg λ ∈ [0.5, 2]; the last two exclude 0, see
   * `SPECTRAL_RANGE_RULES`).
   */
  range?: readonly [number, number];
  /** Highest power of λ in A_x (default the known connection's: 1). */
  degreeX?: number;
  /** Highest power of λ in A_t (default the known connection's: KdV 2, sine-Gordon 1, Heisenberg 2). */
  degreeT?: number;
  /** Lowest power of λ in A_x (default the known connection's: KdV 0, sine-Gordon −1, Heisenberg 1). */
  lowestX?: number;
  /** Lowest power of λ in A_t (default the known connection's: KdV 0, sine-Gordon −1, Heisenberg 1). */
  lowestT?: number;
  /** The λ at which the family is validated (default `heldOutParameters` of the range). */
  heldOut?: readonly number[];
  /** Training points, each with its own λ (default {@link SPECTRAL_CONNECTION_BUDGET}'s). */
  samples?: number;
  /** Trajectories (default 6 for training); the held-out ones are as many more with other seeds. */
  data?: Partial<Omit<FieldDataOptions, "seed">>;
  /**
   * Loss weights (default the family's: the system's fixed-λ learner's, sine-Gordon's without
   * 𝓛_MC; Heisenberg's fixed-λ weights have none; from the fixed start none has 𝓛_MC, see
   * {@link fromFixedWeights}).
   */
  weights?: ConnectionWeights;
  /** α_λ of the spectral hinge (default 1). */
  spectralWeight?: number;
  /**
   * Where attempt 0 starts (default "random", the seeded initialisation): "fixed" runs the fixed-λ
   * learner first (`learnLaxConnection` at {@link FIXED_CONNECTION_BUDGET}, with this
   * seed and data) and builds the family on its connection A* (see spectral-fixed-start.ts):
   * Heisenberg's puts A*_x as A_x's single power scaled to λ̂ = ±λ and solves for A_t's family with
   * A_x held; sine-Gordon's is A*'s Lorentz boosts, placed so that k̂ = k; KdV's A*'s Galilean
   * boosts, placed so that λ̂ = λ. Only for
   * {@link FIXED_START_SYSTEMS}. Restarts start from seeded
   * initialisations as with "random". Every checkpoint carries the fixed stage's record
   * ({@link SpectralConnectionCheckpoint}), so a resumed run goes on from the checkpoint without
   * learning the fixed connection again (one from a checkpoint without the record learns it again:
   * it is deterministic).
   */
  start?: SpectralStart;
  /** Continue from this checkpoint (see {@link ConnectionTrainingConfig.resume}). */
  resume?: SpectralConnectionCheckpoint;
  /** The fixed start's budget where it differs from {@link FIXED_CONNECTION_BUDGET} (e.g. a test's smaller one). */
  fixedBudget?: Partial<Record<keyof typeof FIXED_CONNECTION_BUDGET, number>>;
  seed: number;
}

/**
 * A family's checkpoint: the trainer's, and with `start: "fixed"` the fixed stage's record (the
 * stage runs before the first checkpoint, so every checkpoint of such a run has it).
 */
export interface SpectralConnectionCheckpoint extends ConnectionCheckpoint {
  fixed?: FixedStartRecord;
}

/** Where a family's training starts (see {@link SpectralConnectionConfig.start}). */
export const SPECTRAL_STARTS = ["random", "fixed"] as const;
export type SpectralStart = (typeof SPECTRAL_STARTS)[number];

/**
 * The systems whose family has a fixed start (see spectral-fixed-start.ts): KdV's, the Galilean
 * boosts of its fixed-λ connection; sine-Gordon's, the Lorentz boosts of its fixed-k connection; and
 * Heisenberg's, whose A_x has one power of λ on the fixed learner's so(3) affine class.
 */
export const FIXED_START_SYSTEMS: readonly SpectralFamilySystemName[] = ["kdv", "sine-gordon", "heisenberg"];

/** The learned family at one held-out λ. */
export interface SpectralHeldOut {
  lambda: number;
  /** λ̂(λ), read off the family by a gauge invariant (`SpectralFamily.readout`). */
  lambdaHat: number;
  /** dλ̂/dλ there. */
  slope: number;
  /** Held-out |∂_t A_x − ∂_x A_t + [A_x, A_t]| / |∂_t A_x| at this λ. */
  residual: number;
  residualByTrajectory: { kind: string; residual: number }[];
  /** `cartanRatio` of A_x at this λ on the held-out points (0 for a solvable A_x). */
  cartanRatio: number;
  monodromy: MonodromyReport;
  /** The known connection's monodromy at λ̂(λ) on the same trajectories. */
  reference: MonodromyReport & { value: number };
  /**
   * max |tr Ψ − tr Ψ_known(λ̂)| over the checked trajectories' snapshots, each over the largest
   * |tr Ψ_known| along its trajectory: a gauge of the known connection at λ̂ (constant or periodic)
   * has the same trace.
   */
  traceMismatch: number;
  validation: ConnectionValidation;
}

/** What {@link learnSpectralConnection} returns. */
export interface SpectralConnectionResult {
  system: SpectralFamilySystemName;
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
  /** The fixed-λ connection attempt 0 started from (`start: "fixed"` only). */
  fixed?: FixedStartRecord;
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
  return learnSpectralConnection("kdv", c);
}

/**
 * Trains the connection family of `system` (KdV's A(λ), sine-Gordon's A(k), Heisenberg's so(3)
 * A(λ)) and validates it at held-out parameters on held-out trajectories.
 */
export function learnSpectralConnection(
  system: SpectralFamilySystemName,
  c: SpectralConnectionConfig,
): SpectralConnectionResult {
  for (const [field, v] of [
    ["adamSteps", c.adamSteps],
    ["polishIter", c.polishIter],
  ] as const)
    if (!Number.isInteger(v) || v < 0) throw new PhysmlInputError(field, "an integer >= 0", v);
  const family = spectralFamily(system);
  const range =
    system === "kdv"
      ? checkSpectralRange(c.range ?? family.defaultRange)
      : checkFamilyRange(system, c.range ?? family.defaultRange);
  const heldLambdas = [...(c.heldOut ?? heldOutParameters(family, range))];
  const poles = family.powers.Ax[0] < 0 || family.powers.At[0] < 0;
  if (heldLambdas.length === 0 || !heldLambdas.every((v) => Number.isFinite(v) && !(poles && v === 0)))
    throw new PhysmlInputError(
      "heldOut",
      poles ? "one or more finite numbers, none 0" : "one or more finite numbers",
      heldLambdas.join(","),
    );
  const start = c.start ?? "random";
  if (!SPECTRAL_STARTS.includes(start) || (start === "fixed" && !FIXED_START_SYSTEMS.includes(system)))
    throw new PhysmlInputError(
      "start",
      `${SPECTRAL_STARTS.join(" | ")}; fixed only for ${FIXED_START_SYSTEMS.join(", ")}`,
      start,
    );
  const alpha = c.spectralWeight ?? 1;
  if (!(alpha >= 0)) throw new PhysmlInputError("spectralWeight", "a number >= 0", alpha);
  const setup = fieldConnectionSetup(system);
  const fields = setup.system;
  const t0 = performance.now();
  const train = fields.trajectories({ trajectories: 6, ...c.data, seed: c.seed });
  const held = fields.trajectories({ trajectories: 6, ...c.data, seed: seedPlus(c.seed, 1000) });
  const samples = c.samples ?? SPECTRAL_CONNECTION_BUDGET.samples;
  const batch = fieldBatch(fieldSamples(fields, train, samples, seedPlus(c.seed, 1)), fields.rateFeature);
  // one λ per training point, uniform on the range (in log |p| for sine-Gordon and Heisenberg)
  const u = random.uniform(random.key(seedPlus(c.seed, 4)), [samples, 1]);
  const lambdas = drawParameters(family, range, u);
  const heldBatch = fieldBatch(fieldSamples(fields, held, 512, seedPlus(c.seed, 2)));
  const m = fields.featureNames.length;
  const lifted = setup.lift === "quadratic";
  const modelOptions = {
    inputs: liftedInputs(m, setup.lift),
    size: setup.size,
    degreeX: c.degreeX ?? family.powers.Ax[1],
    degreeT: c.degreeT ?? family.powers.At[1],
    lowestX: c.lowestX ?? family.powers.Ax[0],
    lowestT: c.lowestT ?? family.powers.At[0],
    seed: c.seed,
    antisymmetric: setup.antisymmetric,
    ...(lifted ? { features: quadraticLift } : {}),
  };
  const model = new SpectralConnectionModel(modelOptions);
  // from the fixed start without 𝓛_MC (see fromFixedWeights)
  const w = c.weights ?? fromFixedWeights(family.weights ?? setup.weights, start);
  const slopeAt = spreadParameters(family, range, SLOPE_POINTS);
  const vacuum = vacuumRows(family, SLOPE_POINTS);
  const sign = readoutSign(range);
  const readout = (p: LaxParams, rows: Tensor) => (l: Tensor) =>
    family.readout(
      () => model.Ax(p, rows, l),
      () => model.At(p, rows, l),
      sign,
    );
  const gaps = (p: LaxParams) =>
    readoutSlopeGaps(readout(p, vacuum), slopeAt, SPECTRAL_SLOPE_FLOOR, family.slopeCeiling);
  const slopeHinge = (p: LaxParams) => mean(square(gaps(p)));
  const residuals = (p: LaxParams) =>
    concat(
      [zeroCurvatureResiduals(model.at(p, lambdas), batch, w), mul(gaps(p), Math.sqrt(alpha / SLOPE_POINTS))],
      0,
    );
  // a resumed run takes the fixed stage's record from its checkpoint (training goes on from there);
  // one from a checkpoint written without it learns it again (it is deterministic)
  const stored = start === "fixed" && c.resume ? fixedStartRecordOf(c.resume.fixed) : undefined;
  const fixed =
    start !== "fixed"
      ? undefined
      : stored
        ? { record: stored }
        : fixedStart(system, c, model, readout, residuals);
  const onCheckpoint =
    fixed && c.onCheckpoint
      ? (cp: ConnectionCheckpoint) => {
          const withFixed: SpectralConnectionCheckpoint = { ...cp, fixed: fixed.record };
          c.onCheckpoint?.(withFixed);
        }
      : c.onCheckpoint;
  const trained = trainConnection(
    {
      ...c,
      ...(fixed && "init" in fixed ? { init: fixed.init } : {}),
      ...(onCheckpoint ? { onCheckpoint } : {}),
    },
    {
      hidden: [],
      template: model.init(),
      restart: (k) =>
        new SpectralConnectionModel({
          ...modelOptions,
          seed: seedPlus(c.seed, CONNECTION_RESTART_STRIDE * k),
        }).init(),
      loss: (p) => add(zeroCurvatureLoss(model.at(p, lambdas), batch, w).total, mul(slopeHinge(p), alpha)),
      residuals,
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
  const learned = (lambda: number): ConnectionFns => {
    const raw = model.at(params, lambda);
    return { size: raw.size, Ax: (f) => tracelessPart(raw.Ax(f)), At: (f) => tracelessPart(raw.At(f)) };
  };
  const heldOut = heldLambdas.map((lambda) =>
    heldOutCheck(lambda, learned(lambda), readout(params, vacuumRows(family, 1)), {
      held,
      heldBatch,
      seed: c.seed,
      setup,
    }),
  );
  return {
    system,
    model,
    params,
    family: learned,
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
        h.validation.failures.map((f) => `at ${family.parameter} = ${h.lambda.toPrecision(3)}: ${f}`),
      ),
      checked: heldOut[0].validation.checked,
    },
    ...(fixed ? { fixed: fixed.record } : {}),
    seconds: { train: trained.trainSeconds, evaluate: (performance.now() - t1) / 1000 },
  };
}

/**
 * The fixed-λ learner at its defaults with the family's seed and data, and the family built on its
 * connection (see spectral-fixed-start.ts).
 */
function fixedStart(
  system: SpectralFamilySystemName,
  c: SpectralConnectionConfig,
  model: SpectralConnectionModel,
  readout: (p: LaxParams, rows: Tensor) => (l: Tensor) => Tensor,
  residuals: (p: LaxParams) => Tensor,
): { init: LaxParams; record: FixedStartRecord } {
  const t0 = performance.now();
  const { samples, adamSteps, polishIter, restarts } = { ...FIXED_CONNECTION_BUDGET, ...c.fixedBudget };
  const r = learnLaxConnection(system, {
    seed: c.seed,
    samples,
    adamSteps,
    polishIter,
    restarts,
    ...(c.data ? { data: c.data } : {}),
  });
  const one = tensor(Float64Array.of(1), [1, 1]);
  const vacuum = vacuumRows(spectralFamily(system), 1);
  const readoutAtOne = (p: LaxParams) => readout(p, vacuum)(one).toFloat64Array()[0];
  const built =
    system === "sine-gordon"
      ? boostedFromFixed(r.params, readoutAtOne, residuals)
      : system === "kdv"
        ? galileanFromFixed(r.params, readout, residuals)
        : familyFromFixed({
            model,
            // the fixed learner's so(3) class keeps (A − Aᵀ)/2 of one affine map per matrix
            coefficient: antisymmetricCoefficient(r.params.L[0], model.size),
            readoutAtOne,
            residuals,
            startT: model.init().M,
          });
  return {
    init: built.params,
    record: {
      attemptLosses: r.attemptLosses,
      attempt: r.attempt,
      residual: r.residual,
      passed: r.validation.passed,
      parameter: r.reference.value,
      scale: built.scale,
      solve: built.solve,
      seconds: (performance.now() - t0) / 1000,
    },
  };
}

/**
 * Sine-Gordon's family from the fixed-k connection A* (affine, one map each for A_x and A_t): its
 * Lorentz boosts with k₀ = A*'s own k̂ (the boosted family's at k = 1 with k₀ = 1), so that k̂ = k.
 */
function boostedFromFixed(
  fixed: LaxParams,
  readoutAtOne: (p: LaxParams) => number,
  residuals: (p: LaxParams) => Tensor,
): FixedStartFamily {
  const [Ax, At] = affineMaps(fixed);
  const scale = Math.abs(readoutAtOne(boostedSineGordonFamily(Ax, At, 1)));
  return boosted(boostedSineGordonFamily(Ax, At, scale), scale, residuals);
}

/** A_x's and A_t's maps of a fixed learner's connection whose class is affine (one map each). */
function affineMaps(fixed: LaxParams): [LinearParams, LinearParams] {
  if (fixed.L.length !== 1 || fixed.M.length !== 1)
    throw new PhysmlInputError("start", "random unless the fixed learner's class is affine", "fixed");
  return [fixed.L[0], fixed.M[0]];
}

/** A family built whole from A* (nothing solved): its training residuals' Σr² at the start. */
function boosted(params: LaxParams, scale: number, residuals: (p: LaxParams) => Tensor): FixedStartFamily {
  const value = residuals(params)
    .toFloat64Array()
    .reduce((a, v) => a + v * v, 0);
  return { params, scale, solve: { value, iterations: 0 } };
}

/**
 * KdV's family from the fixed-λ connection A* (affine in the quadratic lift): its Galilean boosts
 * B(a), placed so that λ̂ = λ. λ̂ of B(a) is A*'s own λ̂* + a for an exact A* in any constant gauge
 * (AKNS's at λ̂* + a); read off at a = −1, 0, 1, a = (λ − λ̂*)/s with s the measured dλ̂/da. The
 * record's `scale` is λ̂*, where the family is A*.
 */
function galileanFromFixed(
  fixed: LaxParams,
  readout: (p: LaxParams, rows: Tensor) => (l: Tensor) => Tensor,
  residuals: (p: LaxParams) => Tensor,
): FixedStartFamily {
  const [Ax, At] = affineMaps(fixed);
  const raw = galileanKdvFamily(Ax, At, { alpha: 0, beta: 1 });
  const [down, at, up] = readout(
    raw,
    vacuumRows(spectralFamily("kdv"), 3),
  )(tensor(Float64Array.of(-1, 0, 1), [3, 1])).toFloat64Array();
  const slope = (up - down) / 2;
  if (!(Number.isFinite(slope) && Math.abs(slope) > 0 && Number.isFinite(at)))
    throw new PhysmlInputError("fixed", "a fixed-λ connection whose Galilean boosts move λ̂", slope);
  return boosted(galileanKdvFamily(Ax, At, { alpha: -at / slope, beta: 1 / slope }), at, residuals);
}

/** The vacuum's features, `count` rows. */
function vacuumRows(family: SpectralFamily, count: number): Tensor {
  const m = family.vacuum.length;
  return tensor(
    Float64Array.from({ length: count * m }, (_, i) => family.vacuum[i % m]),
    [count, m],
  );
}

/**
 * The learned family at one held-out λ: residuals, monodromy, λ̂ (`readout` of the learned family
 * on the vacuum) and the known connection's reference there.
 */
function heldOutCheck(
  lambda: number,
  conn: ConnectionFns,
  readout: (l: Tensor) => Tensor,
  d: {
    held: FieldTrajectories;
    heldBatch: ReturnType<typeof fieldBatch>;
    seed: number;
    setup: ReturnType<typeof fieldConnectionSetup>;
  },
): SpectralHeldOut {
  const { held } = d;
  const system = d.setup.system;
  const l = tensor(Float64Array.of(lambda), [1, 1]);
  const lambdaHat = readout(l).toFloat64Array()[0];
  const slope = readoutSlopes(readout, l).toFloat64Array()[0];
  const monodromy = fieldMonodromyReport(conn, system, held);
  const reference = { ...fieldMonodromyReport(d.setup.known(lambdaHat), system, held), value: lambdaHat };
  const residual = zeroCurvatureResidual(conn, d.heldBatch);
  const ratio = cartanRatio(conn.Ax(d.heldBatch.f));
  const checked = validateConnection(
    {
      residual,
      variation: monodromy.variation,
      kinds: held.kinds,
      quadratureError: monodromy.quadratureError,
      cartanRatio: ratio,
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
    cartanRatio: ratio,
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
