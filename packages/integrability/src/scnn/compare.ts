// The two-body comparison: baseline MLP vs HNN vs symmetry-control network, trained on the same
// states and velocities, rolled out from held-out initial states; and the SCNN's conserved
// momenta (the P of its cyclic coordinates) read out on a dictionary.
import { type LinearParams, tensor } from "@physml/autodiff";
import { twoBody } from "../data/systems.js";
import { type FittedFormula, fitFormula, monomials } from "../eval/dictionary.js";
import { baselineModel, type FieldModel, hnnModel, type ScnnParams, scnnModel } from "./models.js";
import { predictionErrors, rollout } from "./rollout.js";
import { trainFieldModel } from "./train.js";
import { twoBodyOrbits, twoBodyTrainingSet } from "./two-body-data.js";

/** Configuration of {@link compareTwoBody}. */
export interface TwoBodyConfig {
  trainOrbits: number;
  testOrbits: number;
  /** Length of each orbit in time units. */
  time: number;
  steps: number;
  lr: number;
  hidden: number[];
  cyclic: number;
  poissonWeight: number;
  seed: number;
  onLoss?: (model: string, step: number, loss: number) => void;
}

/** Per-model errors of the rolled-out predictions. */
export interface ModelErrors {
  energyMse: number;
  stateMse: number;
  finalLoss: number;
}

/** The comparison's outcome. */
export interface TwoBodyResult {
  baseline: ModelErrors;
  hnn: ModelErrors;
  scnn: ModelErrors & {
    /** max over held-out orbits of (max − min)/std-over-states of each cyclic momentum P_i. */
    momentumVariation: number[];
    /** Fits of each cyclic P_i on monomials of degree ≤ 2 in (q, p). */
    momentumFormulas: FittedFormula[];
    poissonLoss: number;
  };
  scnnParams: ScnnParams;
}

const NAMES = ["x1", "y1", "x2", "y2", "px1", "py1", "px2", "py2"];

/** Trains the three models and evaluates them on held-out orbits. */
export function compareTwoBody(c: TwoBodyConfig): TwoBodyResult {
  const sys = twoBody();
  const train = twoBodyTrainingSet(c.trainOrbits, c.seed, c.time);
  const x = tensor(train.x, [train.n, 8]);
  const xdot = tensor(train.xdot, [train.n, 8]);
  const truth = twoBodyOrbits(c.testOrbits, c.seed + 1000, c.time, 10);
  const evaluate = <P extends object>(name: string, m: FieldModel<P>) => {
    const { state, losses } = trainFieldModel(m, x, xdot, {
      steps: c.steps,
      lr: c.lr,
      onLoss: (s, l) => c.onLoss?.(name, s, l),
    });
    const params = state.params;
    const pred = rollout((z) => m.field(params, z), truth, 4);
    return {
      params,
      errors: { ...predictionErrors(sys, truth, pred), finalLoss: losses[losses.length - 1].loss },
    };
  };
  const base = evaluate<LinearParams[]>("baseline", baselineModel(8, c.hidden, c.seed));
  const hnn = evaluate<LinearParams[]>("hnn", hnnModel(8, c.hidden, c.seed));
  const sc = scnnModel({
    dim: 8,
    hidden: c.hidden,
    cyclic: c.cyclic,
    poissonWeight: c.poissonWeight,
    seed: c.seed,
  });
  const scnn = evaluate<ScnnParams>("scnn", sc);
  // conserved momenta along the true held-out orbits
  const T = truth.times.length;
  const count = truth.batch * T;
  const Z = sc.transform(scnn.params, tensor(truth.states, [count, 8])).toFloat64Array();
  const n = 4;
  const momentumVariation: number[] = [];
  const momentumFormulas: FittedFormula[] = [];
  for (let i = 0; i < c.cyclic; i++) {
    const P = Array.from({ length: count }, (_, r) => Z[r * 8 + n + i]);
    const mean = P.reduce((a, b) => a + b, 0) / count;
    const sd = Math.sqrt(P.reduce((a, b) => a + (b - mean) ** 2, 0) / count);
    let worst = 0;
    for (let b = 0; b < truth.batch; b++) {
      const seg = P.slice(b * T, (b + 1) * T);
      worst = Math.max(worst, (Math.max(...seg) - Math.min(...seg)) / sd);
    }
    momentumVariation.push(worst);
    momentumFormulas.push(fitFormula(monomials(NAMES, 2), truth.states, 8, P));
  }
  return {
    baseline: base.errors,
    hnn: hnn.errors,
    scnn: {
      ...scnn.errors,
      momentumVariation,
      momentumFormulas,
      poissonLoss: sc.poisson(scnn.params, x).item(),
    },
    scnnParams: scnn.params,
  };
}
