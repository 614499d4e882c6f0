// A Lax connection for KdV learned end to end: sample field data, train A_x(f), A_t(f) (the Lax
// model's two networks on the local features) on the zero-curvature loss with Adam and a
// Levenberg–Marquardt or L-BFGS polish, then check it on held-out trajectories: the curvature
// residual, the dictionary readout of every entry and tr P exp ∮A_x dx along each trajectory.
import { adam, lbfgs, type Tensor, valueAndGrad } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { type FittedFormula, fitFormula, monomials } from "../eval/dictionary.js";
import { type MonodromyReport, monodromyReport } from "../eval/monodromy.js";
import {
  featureNames,
  type KdvDataOptions,
  type KdvTrajectories,
  kdvFieldSamples,
  kdvTrajectories,
} from "../fields/kdv-samples.js";
import { levenbergMarquardt } from "./levenberg.js";
import type { LaxLossWeights } from "./loss.js";
import { LaxModel, type LaxParams } from "./model.js";
import { DEFAULT_WEIGHTS, type LaxMetrics } from "./train.js";

/** One entry of the connection's loss history: the ODE learner's terms without 𝓛_inv. */
export type ConnectionMetrics = Omit<LaxMetrics, "invariant">;

import {
  type ConnectionFns,
  type FieldBatch,
  fieldBatch,
  zeroCurvatureLoss,
  zeroCurvatureResidual,
  zeroCurvatureResiduals,
} from "./zero-curvature.js";

/** Configuration of {@link learnKdvConnection}. */
export interface LearnConnectionConfig {
  /** Matrix size (default 2). */
  size?: number;
  /** Hidden widths of both networks (default [16, 16]; [] is an affine map of the features). */
  hidden?: number[];
  /** Feature order: the networks see φ, …, ∂ₓ^order φ (default 3). */
  order?: number;
  /** Training points (default 512). */
  samples?: number;
  /** Trajectories (default 6 for training); the held-out ones are 6 more with other seeds. */
  data?: Partial<Omit<KdvDataOptions, "seed">>;
  adamSteps: number;
  /** Iterations of the polish after Adam. */
  polishIter: number;
  /** Levenberg–Marquardt (default; small models) or L-BFGS. */
  polish?: "lm" | "lbfgs";
  lr?: number;
  /** Loss weights (default the ODE learner's {@link DEFAULT_WEIGHTS} without the spectrum term). */
  weights?: LaxLossWeights;
  seed: number;
  /** Record the metrics every this many Adam steps (default 50). */
  logEvery?: number;
  onMetrics?: (m: ConnectionMetrics) => void;
}

/** What {@link learnKdvConnection} returns. */
export interface LearnConnectionResult {
  model: LaxModel;
  params: LaxParams;
  connection: ConnectionFns;
  history: ConnectionMetrics[];
  final: ConnectionMetrics;
  /** Held-out |∂_t A_x − ∂_x A_t + [A_x, A_t]| / |∂_t A_x|. */
  residual: number;
  /** The same per held-out trajectory (256 points each), with its initial condition. */
  residualByTrajectory: { kind: string; residual: number }[];
  /** Entries of A_x and A_t fitted on monomials of degree ≤ 2 in the features, on held-out points. */
  formulas: { Ax: FittedFormula[][]; At: FittedFormula[][] };
  /**
   * tr P exp ∮A_x dx along the held-out trajectories. A lone soliton only translates, so any local
   * A_x keeps its trace: only the smooth and two-soliton trajectories test the connection.
   */
  monodromy: MonodromyReport;
  /** The held-out trajectories (for further checks, e.g. the monodromy at another refinement). */
  heldOut: KdvTrajectories;
  seconds: { train: number; evaluate: number };
}

/** Weights without the spectrum term (the ODE trap it guards against has no field analogue here). */
export const CONNECTION_WEIGHTS: LaxLossWeights = { ...DEFAULT_WEIGHTS, spectrum: 0 };

/** Trains a KdV Lax connection and evaluates it on held-out trajectories. */
export function learnKdvConnection(c: LearnConnectionConfig): LearnConnectionResult {
  for (const [field, v] of [
    ["adamSteps", c.adamSteps],
    ["polishIter", c.polishIter],
  ] as const)
    if (!Number.isInteger(v) || v < 0) throw new PhysmlInputError(field, "an integer >= 0", v);
  const order = c.order ?? 3;
  const t0 = performance.now();
  const train = kdvTrajectories({ trajectories: 6, ...c.data, seed: c.seed });
  const held = kdvTrajectories({ trajectories: 6, ...c.data, seed: c.seed + 1000 });
  const batch = fieldBatch(kdvFieldSamples(train, c.samples ?? 512, c.seed + 1, order));
  const heldSamples = kdvFieldSamples(held, 512, c.seed + 2, order);
  const heldBatch = fieldBatch(heldSamples);
  const hidden = c.hidden ?? [16, 16];
  const model = new LaxModel({
    inputs: order + 1,
    size: c.size ?? 2,
    hidden,
    seed: c.seed,
    linear: hidden.length > 0,
  });
  const w = c.weights ?? CONNECTION_WEIGHTS;
  const connection = (p: LaxParams): ConnectionFns => ({
    size: model.size,
    Ax: (f) => model.L(p, f),
    At: (f) => model.M(p, f),
  });
  const metrics = (p: LaxParams, step: number): ConnectionMetrics => {
    const t = zeroCurvatureLoss(connection(p), batch, w);
    return {
      step,
      total: t.total.item(),
      lax: t.lax.item(),
      l: t.l.item(),
      lm: t.lm.item(),
      mc: t.mc.item(),
      spectrum: t.spectrum.item(),
    };
  };
  const history: ConnectionMetrics[] = [];
  const log = (m: ConnectionMetrics) => {
    history.push(m);
    c.onMetrics?.(m);
  };
  let params = model.init();
  log(metrics(params, 0));
  const vg = (b: FieldBatch) =>
    valueAndGrad((p: LaxParams) => zeroCurvatureLoss(connection(p), b, w).total) as (
      p: LaxParams,
    ) => [Tensor, LaxParams];
  const opt = adam({ lr: c.lr ?? 3e-3 });
  let state = opt.init(params);
  const logEvery = c.logEvery ?? 50;
  for (let i = 1; i <= c.adamSteps; i++) {
    const [, g] = vg(batch)(params);
    ({ params, state } = opt.step(params, g, state));
    if (i % logEvery === 0) log(metrics(params, i));
  }
  let step = c.adamSteps;
  if (c.polishIter > 0) {
    if ((c.polish ?? "lm") === "lm") {
      const r = levenbergMarquardt(
        (p: LaxParams) => zeroCurvatureResiduals(connection(p), batch, w),
        params,
        {
          maxIter: c.polishIter,
          tol: 1e-20,
        },
      );
      [params, step] = [r.params, step + r.iterations];
    } else {
      const r = lbfgs().minimize(vg(batch), params, { maxIter: c.polishIter, gtol: 1e-10 });
      [params, step] = [r.params, step + r.iterations];
    }
  }
  const final = metrics(params, step);
  if (history[history.length - 1].step !== step) log(final);
  const t1 = performance.now();
  const learned = connection(params);
  const dict = monomials(featureNames(order), 2);
  const fitAll = (A: Float64Array) =>
    Array.from({ length: model.size }, (_, i) =>
      Array.from({ length: model.size }, (_, j) =>
        fitFormula(
          dict,
          heldSamples.f,
          heldSamples.dim,
          Array.from({ length: heldSamples.count }, (_, r) => A[(r * model.size + i) * model.size + j]),
        ),
      ),
    );
  const result: LearnConnectionResult = {
    model,
    params,
    connection: learned,
    history,
    final,
    residual: zeroCurvatureResidual(learned, heldBatch),
    residualByTrajectory: held.fields.map((fields, b) => ({
      kind: held.kinds[b],
      residual: zeroCurvatureResidual(
        learned,
        fieldBatch(kdvFieldSamples({ ...held, fields: [fields] }, 256, c.seed + 3 + b, order)),
      ),
    })),
    formulas: {
      Ax: fitAll(learned.Ax(heldBatch.f).toFloat64Array()),
      At: fitAll(learned.At(heldBatch.f).toFloat64Array()),
    },
    monodromy: monodromyReport(learned, held.grid, held.fields, order),
    heldOut: held,
    seconds: { train: (t1 - t0) / 1000, evaluate: (performance.now() - t1) / 1000 },
  };
  return result;
}
