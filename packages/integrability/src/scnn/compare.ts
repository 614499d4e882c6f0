// The two-body comparison: baseline MLP vs HNN vs symmetry-control network, trained on the same
// states and velocities, rolled out from held-out initial states; and the SCNN's conserved
// momenta (the P of its cyclic coordinates) read out on a dictionary.
import { slice, tensor } from "@physml/autodiff";
import { saveParams } from "@physml/autodiff/nn";
import { cosineDecay, type Schedule, warmup } from "@physml/autodiff/optim";
import { PhysmlInputError, seedPlus } from "@physml/lattice-core";
import { vectorField } from "../data/hamiltonian.js";
import { type FittedFormula, fitFormula, monomials } from "../eval/dictionary.js";
import { RESTART_SEED_STRIDE } from "../lax/learn.js";
import { encodeTrainer } from "../lax/trainer-checkpoint.js";
import {
  checkTwoBodyCheckpoint,
  type ModelErrors,
  TWO_BODY_MODELS,
  type TwoBodyCheckpoint,
  type TwoBodyModelName,
} from "./checkpoint.js";
import { CENTRE_OF_MASS_MAP } from "./frame.js";
import { twoBodySystem } from "./kepler.js";
import {
  baselineModel,
  type FieldModel,
  hnnModel,
  type ScnnOptions,
  type ScnnParams,
  scnnModel,
} from "./models.js";
import { type MomentumReadout, readMomenta } from "./momenta.js";
import {
  alongOrbitShare,
  keptRestart,
  restartPasses,
  SCNN_RESTART_WITHIN,
  type ScnnRestartRecord,
  type ScnnRestartReport,
} from "./restarts.js";
import { predictionErrors, rollout } from "./rollout.js";
import { type FieldLoss, type FieldTrainState, trainFieldModel } from "./train.js";
import {
  type TwoBodyBoost,
  type TwoBodyOrbitShape,
  twoBodyOrbits,
  twoBodyTrainingSet,
} from "./two-body-data.js";
import { type ScnnValidation, validateCyclicMomenta } from "./validation.js";

/** The coordinates the SCNN's T can be fed, see {@link TwoBodyConfig}. */
export const TWO_BODY_FRAMES = ["bodies", "centre-of-mass", "relative"] as const;
export type TwoBodyFrame = (typeof TWO_BODY_FRAMES)[number];

/**
 * Configuration of {@link compareTwoBody}. Optional fields left out keep the comparison's first
 * choices (the paper's general T from the identity and general H_θ in the bodies' coordinates,
 * near-circular orbits of one sense, no extra loss terms), on which `bench/run.ts scnn` runs;
 * `scnnOptionsSchema`'s defaults, those of `physml integrability scnn`, are the point T's setting.
 */
export interface TwoBodyConfig {
  trainOrbits: number;
  testOrbits: number;
  /** Length of each orbit in time units. */
  time: number;
  steps: number;
  /** Adam's initial learning rate, decayed on a cosine to 5% of it at the last step. */
  lr: number;
  /**
   * Steps over which every model's learning rate rises linearly to `lr` before the cosine decay
   * (default 0: none), see {@link twoBodyLearningRate}.
   */
  warmup?: number;
  hidden: number[];
  cyclic: number;
  poissonWeight: number;
  /** Weight of the SCNN's 𝓛_conserved (default 0), see {@link ScnnOptions}. */
  conservationWeight?: number;
  /** What the SCNN's 𝓛_conserved averages (default "rate"), see {@link ScnnOptions}. */
  conservation?: ScnnOptions["conservation"];
  /** Weight of the SCNN's scale-blind 𝓛_commute (default 0), see {@link ScnnOptions}. */
  commutationWeight?: number;
  /** Weight of the SCNN's scale-blind 𝓛_independent (default 0), see {@link ScnnOptions}. */
  independenceWeight?: number;
  /** What the SCNN's 𝓛_independent measures (default "determinant"), see {@link ScnnOptions}. */
  independence?: ScnnOptions["independence"];
  /** What stands for the SCNN's cyclic Q in 𝓛_Poisson (default "outputs"), see {@link ScnnOptions}. */
  cyclicQ?: ScnnOptions["cyclicQ"];
  /** What the SCNN's T is (default "general"; "point": a cotangent lift), see {@link ScnnOptions}. */
  transform?: ScnnOptions["transform"];
  /** Where a point T starts (default "identity"; "polar"), see {@link ScnnOptions}. */
  pointStart?: ScnnOptions["pointStart"];
  /** How far the polar start is from the polar frame about the collision point (default 0), see {@link ScnnOptions}. */
  pointStartSpread?: number;
  /** Where a general T starts (default "identity"; "polar", the polar lift), see {@link ScnnOptions}. */
  generalStart?: ScnnOptions["generalStart"];
  /** What the SCNN's H_θ is (default "general"; "mechanical"), see {@link ScnnOptions}. */
  hamiltonian?: ScnnOptions["hamiltonian"];
  /**
   * The coordinates the SCNN's T is fed (default "bodies"): the bodies' own; "centre-of-mass", the
   * fixed canonical map to the centre of mass and relative motion ({@link CENTRE_OF_MASS_MAP});
   * or "relative", that map with the centre of mass and total momentum passed through T unchanged
   * (T acts on the relative motion alone, `fixedPairs: 2`).
   */
  frame?: TwoBodyFrame;
  /** Minibatch size of every model's Adam steps (default: the whole set). */
  batch?: number;
  /** Translation and boost of the training and held-out orbits (default none). */
  boost?: TwoBodyBoost;
  /** Speeds within this fraction of circular (default 0.1, Greydanus et al.'s), at most 0.3. */
  speedSpread?: number;
  /** Velocities turned off the tangent by up to this angle in radians (default 0), at most 0.6. */
  tilt?: number;
  /** The fraction of orbits turning clockwise (default 0). */
  retrograde?: number;
  /**
   * ε of an ε/r² term in the potential (default 0, at most 0.1): precessing orbits on which only
   * H, L and P are conserved, not the Runge–Lenz vector ({@link twoBodySystem}).
   */
  inverseSquare?: number;
  seed: number;
  /**
   * Further draws of the SCNN (default 0; only with `frame: "relative"` and at least 3 cyclic
   * coordinates): while no momentum T moves keeps at most `restartWithin` of its variance along
   * the training orbits, the SCNN is trained again from draw a's seed, seed + 100·a (its initial
   * parameters and minibatch order; the data stay the seed's). The first draw that passes is
   * kept, else the best ({@link keptRestart}). Only the training orbits and the trained network
   * are looked at.
   */
  restarts?: number;
  /** The share a draw must reach (default {@link SCNN_RESTART_WITHIN}), in (0, 1]. */
  restartWithin?: number;
  /** Hears each logged loss; the SCNN's draws are numbered by `draw` (0 without restarts). */
  onLoss?: (model: string, step: number, loss: number, draw: number) => void;
  /**
   * Called with the comparison's checkpoint every `checkpointEvery` Adam steps of each model and
   * at the end of each model's training (JSON-serialisable: store it to resume).
   */
  onCheckpoint?: (cp: TwoBodyCheckpoint) => void;
  /** Adam steps between checkpoints (default 50). */
  checkpointEvery?: number;
  /**
   * Continue from this checkpoint of a comparison with the same configuration (a
   * PhysmlInputError under `resume.` names what does not fit): the result is bit for bit the
   * uninterrupted comparison's; the finished models are not trained or rolled out again.
   */
  resume?: TwoBodyCheckpoint;
}

/** The comparison's outcome. */
export interface TwoBodyResult {
  baseline: ModelErrors;
  hnn: ModelErrors;
  scnn: ModelErrors & {
    /** max over 64 held-out orbits of (max − min)/std-over-states of each cyclic momentum P_i. */
    momentumVariation: number[];
    /**
     * Per P_i, the share of its variance over the same states that lies along the orbits (0 when
     * conserved; {@link alongOrbitShare}): the restarts' criterion, on held-out orbits.
     */
    orbitShare: number[];
    /** Fits of each cyclic P_i on monomials of degree ≤ 2 in (q, p). */
    momentumFormulas: FittedFormula[];
    /** The cyclic momenta against the known invariants (P_x, P_y, L, H, A), along 64 held-out orbits. */
    momenta: MomentumReadout;
    /**
     * Per P_i, the root mean square over the same states of {P_i, H}/(|∇P_i||∇H|), the cosine
     * between ∇P_i and the true flow: 0 for a conserved P_i.
     */
    flowCosine: number[];
    /**
     * 𝓛_commute on the same states: the mean over them and the pairs i ≠ j of the squared cosine
     * {P_i, P_j}/(|∇P_i||∇P_j|), 0 when the momenta commute (0 with fewer than two).
     */
    commutation: number;
    /**
     * On the same states, the mean of 1 − det G, G the Gram matrix of the cyclic momenta's
     * normalised gradients (𝓛_independent's "determinant" form, whatever form trained): 0 when the
     * gradients are orthogonal, 1 when dependent.
     */
    independence: number;
    /**
     * On the same states, 1 − det C, C the correlation matrix of the cyclic momenta's values across
     * them (𝓛_independent's "values" form): 0 when uncorrelated, 1 when one is a linear function of
     * the others. Taken over the momenta that vary on these states (0 with fewer than two): the
     * constant ones are listed in `constantMomenta`.
     */
    valueIndependence: number;
    /**
     * The i of each cyclic momentum P_i constant on the same states (e.g. P_x and P_y in the
     * relative frame on unboosted orbits), left out of `valueIndependence`: a constant is
     * uncorrelated with everything, not a collapse.
     */
    constantMomenta: number[];
    poissonLoss: number;
    /**
     * The draws of the SCNN and their verdicts, with the frame "relative" and at least 3 cyclic
     * coordinates (the momenta T moves are then functions of the relative motion alone, so a
     * conserved one is not total momentum); absent otherwise.
     */
    restarts?: ScnnRestartReport;
  };
  scnnParams: ScnnParams;
  /**
   * The SCNN's self-check on the same 64 held-out orbits ({@link validateCyclicMomenta}): every
   * cyclic momentum (in the relative frame P_1, P_2, the total momentum, too) finite and keeping
   * at most `targets.orbitShare` of its variance along them. The energy MSE ordering of the three
   * models is the comparison's measurement, not a check of the SCNN's claim, and is not judged.
   */
  validation: ScnnValidation;
}

// the relative frame passes the centre of mass and total momentum (X, Y; P_x, P_y) through T
const RELATIVE_FIXED_PAIRS = 2;

const NAMES = ["x1", "y1", "x2", "y2", "px1", "py1", "px2", "py2"];

/**
 * Every model's learning rate: a linear rise to `lr` over `warmupSteps` steps (none at 0), then a
 * cosine decay to 5% of `lr` at the last step. A warm-up matters for the point T: Adam's first steps
 * move every weight by about the full rate whatever its gradient, and a step of that size in the
 * network of the cyclic rows can make the lift's Jacobian nearly singular on some states, from
 * which training does not come back (SCNN-EXPERIMENTS.md, "Seed 0's diverging training").
 */
export function twoBodyLearningRate(lr: number, steps: number, warmupSteps: number): Schedule {
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0 || warmupSteps >= steps)
    throw new PhysmlInputError("warmup", `an integer in [0, ${steps - 1}] (less than steps)`, warmupSteps);
  if (warmupSteps === 0) return cosineDecay(lr, steps, 0.05);
  return warmup(lr, warmupSteps, cosineDecay(lr, steps - warmupSteps, 0.05));
}

/** Trains the three models and evaluates them on held-out orbits. */
export function compareTwoBody(c: TwoBodyConfig): TwoBodyResult {
  if (c.frame !== undefined && !TWO_BODY_FRAMES.includes(c.frame))
    throw new PhysmlInputError("frame", TWO_BODY_FRAMES.map((f) => `"${f}"`).join(" | "), String(c.frame));
  const schedule = twoBodyLearningRate(c.lr, c.steps, c.warmup ?? 0);
  const epsilon = c.inverseSquare ?? 0;
  const sys = twoBodySystem(epsilon);
  const shape: TwoBodyOrbitShape = {
    speedSpread: c.speedSpread,
    tilt: c.tilt,
    retrograde: c.retrograde,
    inverseSquare: epsilon,
  };
  const train = twoBodyTrainingSet(c.trainOrbits, c.seed, c.time, c.boost, shape);
  const x = tensor(train.x, [train.n, 8]);
  const xdot = tensor(train.xdot, [train.n, 8]);
  const truth = twoBodyOrbits(c.testOrbits, seedPlus(c.seed, 1000), c.time, 10, c.boost, shape);
  const options: ScnnOptions = {
    dim: 8,
    hidden: c.hidden,
    cyclic: c.cyclic,
    poissonWeight: c.poissonWeight,
    conservationWeight: c.conservationWeight,
    conservation: c.conservation,
    commutationWeight: c.commutationWeight,
    independenceWeight: c.independenceWeight,
    independence: c.independence,
    cyclicQ: c.cyclicQ,
    ...(c.transform !== undefined ? { transform: c.transform } : {}),
    ...(c.pointStart !== undefined ? { pointStart: c.pointStart } : {}),
    ...(c.pointStartSpread ? { pointStartSpread: c.pointStartSpread } : {}),
    ...(c.generalStart !== undefined ? { generalStart: c.generalStart } : {}),
    ...(c.hamiltonian !== undefined ? { hamiltonian: c.hamiltonian } : {}),
    ...(c.frame === "centre-of-mass" || c.frame === "relative" ? { inputMap: CENTRE_OF_MASS_MAP } : {}),
    ...(c.frame === "relative" ? { fixedPairs: RELATIVE_FIXED_PAIRS } : {}),
    seed: c.seed,
  };
  // the momenta T moves are functions of the relative motion alone only in the relative frame:
  // elsewhere a conserved one may be total momentum, which says nothing about the draw
  const fixed = c.frame === "relative" ? RELATIVE_FIXED_PAIRS : 0;
  const judged = c.frame === "relative" && c.cyclic > fixed;
  const maxRestarts = c.restarts ?? 0;
  if (!Number.isInteger(maxRestarts) || maxRestarts < 0)
    throw new PhysmlInputError("restarts", "an integer >= 0", c.restarts);
  if (maxRestarts > 0 && !judged)
    throw new PhysmlInputError("restarts", '0 unless frame is "relative" and cyclic >= 3', maxRestarts);
  const threshold = c.restartWithin ?? SCNN_RESTART_WITHIN;
  if (!(threshold > 0 && threshold <= 1))
    throw new PhysmlInputError("restartWithin", "a number in (0, 1]", c.restartWithin);
  const drawSeed = (a: number) => seedPlus(c.seed, RESTART_SEED_STRIDE * a);
  const scnnDraw = (a: number) => scnnModel({ ...options, seed: drawSeed(a) });
  const models = {
    baseline: baselineModel(8, c.hidden, c.seed),
    hnn: hnnModel(8, c.hidden, c.seed),
    scnn: scnnModel(options),
  };
  const resumed =
    c.resume === undefined
      ? undefined
      : checkTwoBodyCheckpoint(c.resume, {
          hidden: c.hidden,
          steps: c.steps,
          template: (name) => models[name].init(),
          restarts: judged ? { max: maxRestarts, seed: drawSeed } : undefined,
        });
  const done: TwoBodyCheckpoint["done"] = resumed ? structuredClone(resumed.cp.done) : [];
  // the SCNN's finished draws (each failed the criterion, or there would be no later one)
  const draws: ScnnRestartRecord[] = resumed?.cp.restarts ? structuredClone(resumed.cp.restarts) : [];
  // the best finished draw's parameters (kept when none passes) and their stored form
  let best: { draw: number; params: ScnnParams; saved: string } | undefined = resumed?.best
    ? {
        draw: resumed.best.draw,
        params: resumed.best.params as ScnnParams,
        saved: saveParams(resumed.best.params),
      }
    : undefined;
  const orbitLength = train.n / c.trainOrbits;
  // per momentum T moves, the share of its variance along the training orbits
  const within = (m: typeof models.scnn, params: ScnnParams) =>
    alongOrbitShare(
      slice(m.transform(params, x), [0, 4 + fixed], [train.n, 4 + c.cyclic]).toFloat64Array(),
      c.trainOrbits,
      orbitLength,
      c.cyclic - fixed,
    );
  const train1 = <P extends object>(name: TwoBodyModelName, m: FieldModel<P>, draw: number) => {
    const from =
      resumed?.cp.model === name && (name !== "scnn" || draw === (resumed.cp.restarts?.length ?? 0))
        ? { state: resumed.state as FieldTrainState<P>, losses: resumed.cp.history }
        : undefined;
    return trainFieldModel(m, x, xdot, {
      steps: c.steps,
      lr: schedule,
      batch: c.batch,
      seed: name === "scnn" ? drawSeed(draw) : c.seed,
      onLoss: (s, l) => c.onLoss?.(name, s, l, draw),
      checkpointEvery: c.checkpointEvery,
      ...(from ? { from } : {}),
      onCheckpoint: (st, ls) =>
        c.onCheckpoint?.({
          model: name,
          done: structuredClone(done),
          ...(name === "scnn" && judged
            ? {
                restarts: structuredClone(draws),
                ...(best ? { best: { draw: best.draw, params: best.saved } } : {}),
              }
            : {}),
          ...encodeTrainer(c.hidden, st, ls),
        }),
    });
  };
  const trainedAs = <P>(t: { state: { params: P }; losses: FieldLoss[] }) => ({
    params: t.state.params,
    losses: t.losses,
  });
  const evaluate = <P extends object>(
    name: TwoBodyModelName,
    m: FieldModel<P>,
    { params, losses }: { params: P; losses: readonly FieldLoss[] } = trainedAs(train1(name, m, 0)),
  ) => {
    const pred = rollout((z) => m.field(params, z), truth, 4);
    const errors = { ...predictionErrors(sys, truth, pred), finalLoss: losses[losses.length - 1].loss };
    done.push({ losses: losses.map((l) => ({ ...l })), errors });
    return { params, errors };
  };
  // finished before the checkpoint: their errors are stored (their parameters are not needed)
  const finished = (name: TwoBodyModelName) => TWO_BODY_MODELS.indexOf(name) < (resumed?.cp.done.length ?? 0);
  const stored = (name: TwoBodyModelName) => ({ errors: done[TWO_BODY_MODELS.indexOf(name)].errors });
  const base = finished("baseline") ? stored("baseline") : evaluate("baseline", models.baseline);
  const hnn = finished("hnn") ? stored("hnn") : evaluate("hnn", models.hnn);
  // the SCNN's draws: from the one under way, until one passes or none is left
  let draw = draws.length;
  let sc = draw === 0 ? models.scnn : scnnDraw(draw);
  let trained = train1("scnn", sc, draw);
  while (judged) {
    const shares = within(sc, trained.state.params);
    const passed = restartPasses(shares, threshold);
    draws.push({
      seed: drawSeed(draw),
      within: shares,
      passed,
      losses: trained.losses.map((l) => ({ ...l })),
    });
    if (keptRestart(draws) === draw)
      best = { draw, params: trained.state.params, saved: saveParams(trained.state.params) };
    if (passed || draw === maxRestarts) break;
    draw++;
    sc = scnnDraw(draw);
    trained = train1("scnn", sc, draw);
  }
  // the kept draw: the one that passed (the last), else the best; without restarts the only one
  const kept = best ?? { draw, params: trained.state.params };
  if (kept.draw !== draw) sc = scnnDraw(kept.draw);
  const scnn = evaluate("scnn", sc, {
    params: kept.params,
    losses: kept.draw === draw ? trained.losses : draws[kept.draw].losses,
  });
  const restartReport: ScnnRestartReport | undefined = judged
    ? {
        threshold,
        draws: draws.map(({ seed, within: w, passed }) => ({ seed, within: w, passed })),
        kept: kept.draw,
        passed: draws[kept.draw].passed,
      }
    : undefined;
  // the cyclic momenta P_1…P_{n_c} (outputs n…n+n_c−1 of T) along 64 further held-out orbits: the
  // invariants are constant on each orbit, so fits on them need many more orbits than terms
  const readout = twoBodyOrbits(64, seedPlus(c.seed, 2000), c.time, 20, c.boost, shape);
  const T = readout.times.length;
  const count = readout.batch * T;
  const n = 4;
  const P = slice(
    sc.transform(scnn.params, tensor(readout.states, [count, 8])),
    [0, n],
    [count, n + c.cyclic],
  );
  const Pv = P.toFloat64Array();
  const orbitShare = alongOrbitShare(Pv, readout.batch, T, c.cyclic);
  const cosines = sc
    .flowCosines(
      scnn.params,
      tensor(readout.states, [count, 8]),
      tensor(vectorField(sys, readout.states, count), [count, 8]),
    )
    .toFloat64Array();
  const flowCosine = Array.from({ length: c.cyclic }, (_, i) => {
    let s = 0;
    for (let r = 0; r < count; r++) s += cosines[r * c.cyclic + i] ** 2;
    return Math.sqrt(s / count);
  });
  const momenta = readMomenta(readout.states, readout.batch, T, Pv, c.cyclic, epsilon);
  const commutation = sc.commutation(scnn.params, tensor(readout.states, [count, 8])).item();
  const independence = sc.independence(scnn.params, tensor(readout.states, [count, 8]), "determinant").item();
  const valueIndependence = sc.independence(scnn.params, tensor(readout.states, [count, 8]), "values").item();
  const constantMomenta = sc
    .constantMomenta(scnn.params, tensor(readout.states, [count, 8]))
    .map((i) => i + 1);
  const momentumFormulas = Array.from({ length: c.cyclic }, (_, i) =>
    fitFormula(
      monomials(NAMES, 2),
      readout.states,
      8,
      Array.from({ length: count }, (_, r) => Pv[r * c.cyclic + i]),
    ),
  );
  return {
    baseline: base.errors,
    hnn: hnn.errors,
    scnn: {
      ...scnn.errors,
      momentumVariation: momenta.variation,
      orbitShare,
      momentumFormulas,
      momenta,
      flowCosine,
      commutation,
      independence,
      valueIndependence,
      constantMomenta,
      poissonLoss: sc.poisson(scnn.params, x).item(),
      ...(restartReport ? { restarts: restartReport } : {}),
    },
    scnnParams: scnn.params,
    validation: validateCyclicMomenta(Pv, readout.batch, T, c.cyclic),
  };
}
