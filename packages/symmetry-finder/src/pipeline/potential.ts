// End to end on a potential, as in the paper: labelled points → classifier → embedding layer →
// neighbour analysis → point clouds of what the network calls one class → generators.
import { tensor } from "@physml/autodiff";
import { PhysmlInputError, seedPlus } from "@physml/lattice-core";
import type { Potential } from "../data/potentials.js";
import { type LabelledPoints, pointsOfClass, samplePotential } from "../data/sample.js";
import { type NeighbourReport, neighbourAnalysis } from "../eval/neighbours.js";
import { trueAlgebra } from "../generators/algebra.js";
import { findGeneratorsByPlanes } from "../generators/planes.js";
import { type AlgebraReport, largestPrincipalAngle } from "../generators/report.js";
import { findGeneratorsByTangents } from "../generators/tangent.js";
import { type GeneratorValidation, validateGenerators } from "../generators/validation.js";
import { checkSymmetryMemory } from "../memory.js";
import {
  argmaxRows,
  type ClassifierConfig,
  type EpochMetrics,
  embeddings,
  type TrainedClassifier,
  trainClassifier,
} from "../model/classifier.js";
import type { TrainingCheckpoints } from "../run/checkpoint.js";
import { type GeneratorMethod, minPointsPerClass } from "./method.js";

export interface EmbeddingStage {
  data: LabelledPoints;
  trained: TrainedClassifier;
  /** Embedding-layer activations [n, e]. */
  embedding: Float64Array;
  /** The network's class for every point. */
  predicted: Int32Array;
  neighbours: NeighbourReport;
  seconds: { sample: number; train: number; neighbours: number };
  /**
   * The option that sized the data (`perClass` for a potential's points, `group` for given
   * points) and its value: what a step that finds too few points per class names.
   */
  sizedBy: { field: string; received: unknown };
}

export interface EmbeddingOptions {
  seed: number;
  classifier?: Omit<ClassifierConfig, "seed">;
  /** Points scored in the neighbour analysis (default 500, spread over the data). */
  anchors?: number;
  onEpoch?: (m: EpochMetrics) => void;
  /** Where the classifier checkpoints and what it continues from (see trainClassifier). */
  checkpoints?: TrainingCheckpoints<EpochMetrics>;
  /** The memory limit ("4G"; default 80% of the free memory): a larger run is refused before it starts. */
  maxMemory?: string;
}

/**
 * Step 1 on a potential: labelled points, then {@link embedData}. A run estimated above
 * `opts.maxMemory` is refused (PhysmlInputError naming `perClass`) before a point is drawn.
 */
export function embedPotential(
  pot: Potential,
  opts: EmbeddingOptions & { perClass: number },
): EmbeddingStage {
  checkSymmetryMemory(
    { points: opts.perClass * pot.levels.length, dim: pot.dim, maxMemory: opts.maxMemory },
    { field: "perClass", received: opts.perClass, advice: "lower --per-class" },
  );
  const t = performance.now();
  const data = samplePotential(pot, { perClass: opts.perClass, seed: opts.seed });
  const stage = embedSampled(data, opts, { field: "perClass", received: opts.perClass });
  stage.seconds.sample = (performance.now() - t) / 1000 - stage.seconds.train - stage.seconds.neighbours;
  return stage;
}

/**
 * Step 1 on labelled points: classifier to the stopping rule, embeddings, neighbour analysis. A run
 * estimated above `opts.maxMemory` is refused (PhysmlInputError naming `group`, the points) first.
 */
export function embedData(data: LabelledPoints, opts: EmbeddingOptions): EmbeddingStage {
  checkSymmetryMemory(
    { points: data.n, dim: data.dim, maxMemory: opts.maxMemory },
    { field: "group", received: `${data.n} points`, advice: "use fewer points" },
  );
  return embedSampled(data, opts, { field: "group", received: `${data.n} points` });
}

function embedSampled(
  data: LabelledPoints,
  opts: EmbeddingOptions,
  sizedBy: EmbeddingStage["sizedBy"],
): EmbeddingStage {
  let t = performance.now();
  const trained = trainClassifier(
    data,
    { ...opts.classifier, seed: seedPlus(opts.seed, 1) },
    opts.onEpoch,
    opts.checkpoints,
  );
  const train = (performance.now() - t) / 1000;
  t = performance.now();
  const embedding = embeddings(trained, data);
  const x = tensor(data.x, [data.n, data.dim]);
  const predicted = argmaxRows(trained.net.logits(trained.state.params, x).toFloat64Array(), data.classes);
  const A = Math.min(opts.anchors ?? 500, data.n);
  const anchors = Int32Array.from({ length: A }, (_, i) => Math.floor((i * data.n) / A));
  const neighbours = neighbourAnalysis(embedding, data.labels, { anchors, curves: 6 });
  return {
    data,
    trained,
    embedding,
    predicted,
    neighbours,
    seconds: { sample: 0, train, neighbours: (performance.now() - t) / 1000 },
    sizedBy,
  };
}

/** The points the network puts in class c, row-major [m, dim]. */
export function predictedCloud(stage: EmbeddingStage, c: number): Float64Array {
  return pointsOfClass(stage.data, c, stage.predicted);
}

export interface GeneratorStage {
  report: AlgebraReport & { spectrum?: number[]; nullDirections?: number };
  /** Largest principal angle to the potential's true algebra (radians), when it is known. */
  angleToTrue?: number;
  /**
   * The verdict on the found generators (`validateGenerators`): closure and the gap always;
   * antisymmetry and the angle to the truth with a potential, whose algebra is orthogonal.
   */
  validation: GeneratorValidation;
  seconds: number;
}

/**
 * Step 2 on the network's classes: the plane method on one class (default the one with the most
 * points), the tangent method on all of them.
 */
export function generatorsOf(
  stage: EmbeddingStage,
  method: GeneratorMethod,
  seed: number,
  pot?: Potential,
): GeneratorStage {
  const dim = stage.data.dim;
  const t = performance.now();
  const C = stage.data.classes;
  const clouds = Array.from({ length: C }, (_, c) => predictedCloud(stage, c));
  let report: GeneratorStage["report"];
  try {
    if (method.kind === "planes") {
      const cls = method.cls ?? clouds.reduce((b, c, i) => (c.length > clouds[b].length ? i : b), 0);
      report = findGeneratorsByPlanes(clouds[cls], dim, { ...method.options, seed });
    } else {
      // a cloud needs more points than the local fits' neighbourhoods
      const usable = clouds.filter((c) => c.length / dim > 6 * dim + 1);
      report = findGeneratorsByTangents(usable, dim, method.options);
    }
  } catch (e) {
    // Too few points in a class for the method: say so about the option that sized the data
    // (the method's own fields, e.g. delta/epsilon, stay in the detail).
    if (!(e instanceof PhysmlInputError)) throw e;
    const largest = Math.max(...clouds.map((c) => c.length / dim));
    const raise = stage.sizedBy.field === "perClass" ? "; raise it" : "";
    const enough =
      method.kind === "planes"
        ? `enough points per class for the planes method (2 planes with enough close pairs: about ${minPointsPerClass(method, dim)} points on a sphere; the network's largest class has ${largest}${raise})`
        : `enough points per class for the tangent method (a class with more than 6·dim + 1 = ${6 * dim + 1} points; the network's largest has ${largest}${raise})`;
    throw new PhysmlInputError(stage.sizedBy.field, enough, stage.sizedBy.received, e.message);
  }
  const truth = pot ? trueAlgebra(pot.algebra, dim) : undefined;
  const angleToTrue = truth ? largestPrincipalAngle(report.flat, truth) : undefined;
  return {
    report,
    ...(angleToTrue !== undefined ? { angleToTrue } : {}),
    // every built-in potential is O(n)-type: its level sets' algebra is a subalgebra of so(n)
    validation: validateGenerators({
      report,
      angleToTrue,
      trueDimension: truth?.length,
      orthogonal: pot !== undefined,
    }),
    seconds: (performance.now() - t) / 1000,
  };
}
