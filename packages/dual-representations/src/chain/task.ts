// The chain task for one n: exact checks of the dual representation (its partition function
// and ⟨σ⟩ against the transfer matrix, and against enumeration when small), the balanced
// stability data set, the simple classifier in both representations, and optionally the
// task-constrained autoencoder on the original spins.
import { enumerateModel, MAX_ENUMERATION_SITES, seedPlus, transferMatrixChain } from "@physml/lattice-core";
import type { ChainConfig } from "../config.js";
import { splitRows } from "../train/dataset.js";
import { type Accuracy, accuracyOf } from "../train/fit.js";
import { mlpClassifier } from "../train/models.js";
import { type TaggedFit, taggedFit } from "../train/trainings.js";
import { autoencoder, type DecoderSpec, type EncoderSpec, encodeRows, latentOverlap } from "./autoencoder.js";
import {
  type AffineReadoutParams,
  affineReadoutInit,
  type CorrelationFunctions,
  type CorrelationReadout,
  correlationError,
  inputCorrelations,
  latentCorrelations,
} from "./correlation-loss.js";
import { chainData } from "./dataset.js";
import { dualPartition } from "./dual-partition.js";
import { dualTarget, instanceCouplings, instanceSites, nSpinChain } from "./model.js";

/** Tolerance of the exact checks (all three are exact; double rounding only). */
export const EXACT_TOLERANCE = 1e-9;

/** Result of the chain task at one n. */
export interface ChainPoint {
  n: number;
  /** Exact checks of the dual representation. */
  exact: {
    lnZDual: number;
    lnZTransfer: number;
    lnZEnumerated?: number;
    /** ⟨Σ_k σ_k⟩ from the dual closed form and from the transfer matrix. */
    energyDual: number;
    energyTransfer: number;
    /** Free dual variables (rank over GF(2)) and original states per dual state (2^kernelBits). */
    rank: number;
    kernelBits: number;
    /** Closed loops of the dual constraints by length (the high-temperature graphs). */
    weightEnumerator: number[];
    passed: boolean;
  };
  data: {
    source: "enumerated" | "quench";
    stableStates?: number;
    totalStates?: number;
    perClass: number;
    train: number;
    test: number;
    labelMismatches: number;
    labelsChecked: number;
  };
  original: Accuracy;
  dual: Accuracy;
  autoencoder?: {
    runs: number;
    latent: number;
    /** The encoder: dense, or conv with its window width and hidden channels. */
    encoder: EncoderSpec;
    /** The decoder: dense, or conv (the encoder's mirror) with its window width and hidden channels. */
    decoder: DecoderSpec;
    /** Weight of the latent's match to σ (0: the autoencoder was never shown σ). */
    featureMatchingWeight: number;
    /** Weight of the correlation-function term (0: none) and which functions it reads. */
    correlationWeight: number;
    correlationFunctions: CorrelationFunctions;
    /** The correlation term's readout: fixed, or affine (a f(z) + b, fitted). */
    correlationReadout: CorrelationReadout;
    bestTestMean: number;
    bestTestStdError: number;
    /** Per run: the best test accuracy over its epochs. */
    bestTestByRun: number[];
    /** Mean over σ_k of the largest |corr| with a latent unit (1: σ found); same for s_k. */
    sigmaOverlap: number;
    spinOverlap: number;
    /** Per run: the σ overlap, and the training loss of its last epoch (mean over its batches). */
    sigmaOverlapByRun: number[];
    finalLossByRun: number[];
    /**
     * The run with the lowest final training loss (the earliest of equals): a choice among the
     * runs that looks at nothing but the training objective, never at σ or the test rows.
     */
    selected: SelectedRun;
    /**
     * RMS over the test rows of readout(z) − f(σ) for the chosen correlation functions (mean over
     * runs; measured whether or not the term was in the loss; absent when the latent has fewer
     * units than there are σ_k).
     */
    correlationError?: number;
  };
  /** Seconds of this point, a resumed run's earlier attempts' time on its trainings included. */
  seconds: number;
}

/** One autoencoder run of a point, picked by {@link lowestLossRun}. */
export interface SelectedRun {
  run: number;
  rule: "lowest final training loss";
  bestTest: number;
  sigmaOverlap: number;
  spinOverlap: number;
}

/** The index of the smallest loss, the earliest of equals. */
export function lowestLossRun(losses: readonly number[]): number {
  return losses.reduce((k, v, r) => (v < losses[k] ? r : k), 0);
}

const close = (a: number, b: number) =>
  Math.abs(a - b) <= EXACT_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Runs the chain task at one interaction order n; `train` runs its trainings (`taggedFit(onEpoch)`,
 * or a run's TrainingLedger, which checkpoints them).
 */
export function chainPoint(c: ChainConfig, n: number, trainFit: TaggedFit = taggedFit()): ChainPoint {
  const t0 = performance.now();
  // what a resumed run's earlier attempts spent on this point's trainings, counted in its seconds
  let carried = 0;
  const train: TaggedFit = (...args) => {
    const r = trainFit(...args);
    carried += r.carriedSeconds ?? 0;
    return r;
  };
  const model = nSpinChain(c.sites, n, c.J);
  const inst = instanceSites(model);
  const couplings = instanceCouplings(model);
  const dp = dualPartition(inst, couplings, c.sites);
  const tm = transferMatrixChain(model);
  const en = c.sites <= MAX_ENUMERATION_SITES ? enumerateModel(model) : undefined;
  const energyDual = dp.sigmaMeans.reduce((a, b) => a + b, 0);
  const passed =
    close(dp.lnZ, tm.lnZ) &&
    close(energyDual, tm.termMeans[0]) &&
    (en === undefined || close(dp.lnZ, en.lnZ));
  const data = chainData(model, c.perClass, seedPlus(c.seed, 1000 * n));
  const fit = { epochs: c.epochs, batch: c.batch, lr: c.lr, lrSchedule: c.lrSchedule, seed: c.seed };
  const classify = (rep: "original" | "dual") => {
    const split = splitRows(data[rep], c.trainFraction, seedPlus(c.seed, 17 * n));
    const net = mlpClassifier(split.train.d, Array(c.depth).fill(c.hidden), seedPlus(c.seed, 31 * n));
    return { split, r: train(`n=${n} ${rep}`, net.model, net.params, split, fit) };
  };
  const original = classify("original");
  const dual = classify("dual");
  const out: ChainPoint = {
    n,
    exact: {
      lnZDual: dp.lnZ,
      lnZTransfer: tm.lnZ,
      ...(en ? { lnZEnumerated: en.lnZ } : {}),
      energyDual,
      energyTransfer: tm.termMeans[0],
      rank: dp.rank,
      kernelBits: dp.kernelBits,
      weightEnumerator: dp.weightEnumerator,
      passed,
    },
    data: {
      source: data.source,
      ...(data.stableStates !== undefined
        ? { stableStates: data.stableStates, totalStates: data.totalStates }
        : {}),
      perClass: data.perClass,
      train: original.split.train.n,
      test: original.split.test.n,
      labelMismatches: data.labelMismatches,
      labelsChecked: data.labelsChecked,
    },
    original: accuracyOf(original.r),
    dual: accuracyOf(dual.r),
    seconds: 0,
  };
  if (c.autoencoderRuns > 0) {
    const latent = c.latent ?? c.sites;
    const best: number[] = [];
    const sigmaByRun: number[] = [];
    const spinByRun: number[] = [];
    const finalLossByRun: number[] = [];
    let corrError = 0;
    const fns = c.correlationFunctions;
    // The same split of the original rows; the dual rows (same order) measure the overlap with σ.
    const dualSplit = splitRows(data.dual, c.trainFraction, seedPlus(c.seed, 17 * n));
    const partSpec = (kind: "dense" | "conv"): EncoderSpec =>
      kind === "conv" ? { kind: "conv", kernel: c.kernel ?? n, channels: c.channels } : { kind: "dense" };
    const encoder = partSpec(c.encoder);
    const decoder = partSpec(c.decoder);
    for (let r = 0; r < c.autoencoderRuns; r++) {
      const ae = autoencoder(c.sites, {
        latent,
        width: c.width,
        encoder,
        decoder,
        classifierHidden: c.hidden,
        reconstructionWeight: c.reconstructionWeight,
        seed: seedPlus(c.seed, 101 * r + 7 * n),
        featureMatching: { weight: c.featureMatchingWeight, target: dualTarget(inst) },
        correlation: {
          weight: c.correlationWeight,
          readout: (z) => latentCorrelations(z, couplings, fns),
          target: inputCorrelations(inst, couplings, fns),
          ...(c.correlationReadout === "affine" ? { affine: affineReadoutInit(fns) } : {}),
        },
      });
      const res = train(
        `n=${n} autoencoder ${r + 1}/${c.autoencoderRuns}`,
        ae.model,
        ae.params,
        original.split,
        {
          ...fit,
          seed: seedPlus(c.seed, r),
        },
      );
      best.push(res.bestTestAccuracy);
      finalLossByRun.push(res.history[res.history.length - 1].loss);
      const z = encodeRows(ae.encode, res.params, original.split.test);
      sigmaByRun.push(latentOverlap(z, latent, dualSplit.test));
      spinByRun.push(latentOverlap(z, latent, original.split.test));
      const test = original.split.test;
      if (latent >= inst.length)
        corrError +=
          correlationError(
            z,
            latent,
            test.x,
            c.sites,
            inst,
            couplings,
            fns,
            res.params.ro as AffineReadoutParams | undefined,
          ) / c.autoencoderRuns;
    }
    const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const mean = meanOf(best);
    const pick = lowestLossRun(finalLossByRun);
    const sd =
      best.length > 1 ? Math.sqrt(best.reduce((a, b) => a + (b - mean) ** 2, 0) / (best.length - 1)) : 0;
    out.autoencoder = {
      runs: best.length,
      latent,
      encoder,
      decoder,
      featureMatchingWeight: c.featureMatchingWeight,
      correlationWeight: c.correlationWeight,
      correlationFunctions: fns,
      correlationReadout: c.correlationReadout,
      bestTestMean: mean,
      bestTestStdError: sd / Math.sqrt(best.length),
      bestTestByRun: best,
      sigmaOverlap: meanOf(sigmaByRun),
      spinOverlap: meanOf(spinByRun),
      sigmaOverlapByRun: sigmaByRun,
      finalLossByRun,
      selected: {
        run: pick,
        rule: "lowest final training loss",
        bestTest: best[pick],
        sigmaOverlap: sigmaByRun[pick],
        spinOverlap: spinByRun[pick],
      },
      ...(latent >= inst.length ? { correlationError: corrError } : {}),
    };
  }
  out.seconds = carried + (performance.now() - t0) / 1000;
  return out;
}
