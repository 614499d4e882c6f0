// 2D Ising temperature classification: tell configurations at T0 from those at T0 + ΔT (both
// ordered, T < Tc), and the same for their Kramers–Wannier dual temperatures T̃ (both
// disordered). The energy is a sufficient statistic for a pair of temperatures, so the best
// energy threshold is the Bayes-optimal classifier: the network's accuracy is judged against it.
// Samples come from mcmc-gpu's CPU sampler (via inverse-ising's sampleModel); each temperature's
// mean energy is checked against Kaufman's exact value.
import { sampleModel } from "@physml/inverse-ising";
import {
  dualCoupling,
  isingTermSums,
  kaufman,
  type Model,
  seedPlus,
  standardSquareModel,
} from "@physml/lattice-core";
import type { Ising2dConfig } from "../config.js";
import type { Labelled } from "../train/dataset.js";
import { centred, mapRows, splitRows } from "../train/dataset.js";
import { type Accuracy, accuracyOf } from "../train/fit.js";
import { mlpClassifier } from "../train/models.js";
import { prefixed, type TaggedFit, taggedFit } from "../train/trainings.js";
import { type DftFrontEnds, dftFrontEnds } from "./dft-front-end.js";
import { structureFactor } from "./structure-factor.js";

/** Pull beyond which a sampled mean energy fails its check against the exact value. */
export const ENERGY_PULL_LIMIT = 4;

/** One temperature's samples and their energy check. */
export interface TemperatureSamples {
  T: number;
  beta: number;
  /** Mean energy per site of the samples, its error (spread of chain means) and the exact value. */
  energy: number;
  energyError: number;
  energyExact: number;
  pull: number;
}

/** The classification of one temperature pair. */
export interface PairResult {
  /** Label 0 first, label 1 second. */
  temperatures: [TemperatureSamples, TemperatureSamples];
  network: Accuracy;
  /** The same network on the structure factor |ŝ(k)|²/N (the DFT representation). */
  structureFactor: Accuracy;
  /** The per-coordinate classifier on the handed 2D DFT and behind learned maps (`dftFrontEnd`). */
  dft?: DftFrontEnds;
  /** Test accuracy of the best energy threshold chosen on the training rows (≈ Bayes optimum). */
  energyThreshold: number;
  train: number;
  test: number;
}

export interface Ising2dPoint {
  T0: number;
  original: PairResult;
  /** The pair at the dual temperatures T̃(T0), T̃(T0 + ΔT) (label 1 = image of T0 + ΔT). */
  dual: PairResult;
}

const modelAt = (L: number, beta: number): Model =>
  standardSquareModel(L, L, { nn: beta, nnn: 0, plaquette: 0, field: 0 });

async function samplesAt(c: Ising2dConfig, T: number, seed: number) {
  const beta = 1 / T;
  const model = modelAt(c.L, beta);
  const perChain = Math.ceil(c.samples / c.chains);
  const d = await sampleModel(model, {
    chains: c.chains,
    samplesPerChain: perChain,
    warmupSweeps: c.warmup,
    every: c.every,
    seed,
    backend: "cpu",
  });
  const N = c.L * c.L;
  const energies = new Float64Array(d.count);
  for (let r = 0; r < d.count; r++) energies[r] = -isingTermSums(model, d.spins, r * N)[0] / N;
  // Rows are [chain][sample]: the spread of the chain means gives the error bar.
  const chainMeans = Array.from({ length: c.chains }, (_, ch) => {
    let s = 0;
    for (let k = 0; k < perChain; k++) s += energies[ch * perChain + k];
    return s / perChain;
  });
  const mean = chainMeans.reduce((a, b) => a + b, 0) / c.chains;
  const sd = Math.sqrt(chainMeans.reduce((a, b) => a + (b - mean) ** 2, 0) / (c.chains - 1));
  const error = sd / Math.sqrt(c.chains);
  const exact = kaufman(c.L, c.L, beta).energyPerSite;
  const info: TemperatureSamples = {
    T,
    beta,
    energy: mean,
    energyError: error,
    energyExact: exact,
    pull: error > 0 ? (mean - exact) / error : 0,
  };
  return { info, spins: d.spins, energies, count: d.count };
}

/** The energy threshold (and side) most accurate on the training rows, scored on the test rows. */
export function energyThresholdAccuracy(train: Labelled, test: Labelled): number {
  const order = Array.from({ length: train.n }, (_, i) => i).sort((a, b) => train.x[a] - train.x[b]);
  const ones = train.y.reduce((a, b) => a + b, 0);
  // Rule "label 1 iff e > cut" (or its mirror): scan the cuts between sorted energies.
  let best = { acc: 0, cut: Number.NEGATIVE_INFINITY, above: 1 };
  let onesBelow = 0;
  for (let k = 0; k <= train.n; k++) {
    // Energies are discrete: a cut can only fall between two different values.
    if (k === 0 || k === train.n || train.x[order[k]] !== train.x[order[k - 1]]) {
      const accAbove = (k - onesBelow + (ones - onesBelow)) / train.n;
      const cut = k === 0 ? Number.NEGATIVE_INFINITY : train.x[order[k - 1]];
      if (accAbove > best.acc) best = { acc: accAbove, cut, above: 1 };
      if (1 - accAbove > best.acc) best = { acc: 1 - accAbove, cut, above: 0 };
    }
    if (k < train.n) onesBelow += train.y[order[k]];
  }
  let right = 0;
  for (let i = 0; i < test.n; i++) {
    const predicted = test.x[i] > best.cut ? best.above : 1 - best.above;
    if (predicted === test.y[i]) right++;
  }
  return test.n ? right / test.n : 0;
}

async function classifyPair(
  c: Ising2dConfig,
  T: [number, number],
  seed: number,
  train: TaggedFit,
): Promise<PairResult> {
  const a = await samplesAt(c, T[0], seed);
  const b = await samplesAt(c, T[1], seedPlus(seed, 1));
  const N = c.L * c.L;
  const n = a.count + b.count;
  const spins: Labelled = {
    x: Float64Array.from({ length: n * N }, (_, i) =>
      i < a.count * N ? a.spins[i] : b.spins[i - a.count * N],
    ),
    y: Float64Array.from({ length: n }, (_, i) => (i < a.count ? 0 : 1)),
    n,
    d: N,
  };
  const energy: Labelled = {
    x: Float64Array.from({ length: n }, (_, i) => (i < a.count ? a.energies[i] : b.energies[i - a.count])),
    y: spins.y,
    n,
    d: 1,
  };
  const split = centred(splitRows(spins, c.trainFraction, seedPlus(seed, 2)));
  const eSplit = splitRows(energy, c.trainFraction, seedPlus(seed, 2));
  const net = mlpClassifier(N, [c.hidden], seedPlus(seed, 3));
  const fit = { epochs: c.epochs, batch: c.batch, lr: c.lr, lrSchedule: c.lrSchedule, seed };
  const r = train("spins", net.model, net.params, split, fit);
  const sfRows = mapRows(spins, N, (row, out) => structureFactor(row, c.L, out));
  const sfSplit = centred(splitRows(sfRows, c.trainFraction, seedPlus(seed, 2)));
  const sfNet = mlpClassifier(N, [c.hidden], seedPlus(seed, 4));
  const sf = train("structure factor", sfNet.model, sfNet.params, sfSplit, fit);
  const dft = c.dftFrontEnd ? dftFrontEnds(c, split, seed, train, fit) : undefined;
  return {
    temperatures: [a.info, b.info],
    network: accuracyOf(r),
    structureFactor: accuracyOf(sf),
    ...(dft ? { dft } : {}),
    energyThreshold: energyThresholdAccuracy(eSplit.train, eSplit.test),
    train: split.train.n,
    test: split.test.n,
  };
}

/** The dual temperature T̃ = 1/β̃(1/T) (Kramers–Wannier, from lattice-core). */
export const dualTemperature = (T: number): number => 1 / dualCoupling(1 / T);

/**
 * Both pairs for one base temperature T0. `fit` runs its four trainings (`taggedFit(onEpoch)`, or a
 * run's TrainingLedger, which checkpoints them).
 */
export async function ising2dPoint(
  c: Ising2dConfig,
  T0: number,
  fit: TaggedFit = taggedFit(),
): Promise<Ising2dPoint> {
  const T1 = T0 + c.deltaT;
  const seed = seedPlus(c.seed, Math.round(T0 * 1000) * 10);
  const original = await classifyPair(c, [T0, T1], seed, prefixed(fit, `T0=${T0} original`));
  const dual = await classifyPair(
    c,
    [dualTemperature(T0), dualTemperature(T1)],
    seedPlus(seed, 5),
    prefixed(fit, `T0=${T0} dual`),
  );
  return { T0, original, dual };
}
