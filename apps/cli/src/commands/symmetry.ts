// physml symmetry potential | generators | cicy | noscale: thin wrappers over
// @physml/symmetry-finder (progress on stderr; --json prints the result object on stdout). Every
// command but noscale runs inside an @physml/runs run directory (config with provenance, lock,
// metrics.jsonl, arrays/*.npy, report.html, result.json; --force and --resume); its training
// checkpoints there, so --resume continues a killed run.
import { PhysmlInputError, plural, seedPlus } from "@physml/lattice-core";
import { type Run, reportHtml } from "@physml/runs";
import {
  analyseNoScale,
  augmentCicys,
  BUILTIN_GROUPS,
  type BuiltinGroup,
  CHECKPOINT_SECONDS,
  CICY_RENAMED_FIELDS,
  type CicyMetrics,
  checkClassSizes,
  cicyConfigOf,
  cicyNeighbourShares,
  cicyOptionsSchema,
  cicyReport,
  cicysOf,
  defaultGeneratorKind,
  type EmbeddingStage,
  type EpochMetrics,
  embedData,
  embedPotential,
  fixedTrainingSet,
  generatorMethod,
  generatorsOf,
  generatorsOptionsSchema,
  generatorsReport,
  inSymmetryRun,
  type NeighbourReport,
  noscaleOptionsSchema,
  POTENTIALS,
  type PotentialName,
  parseKahler,
  potentialOptionsSchema,
  potentialReport,
  readCicyList,
  readLabelledPoints,
  type TrainingKind,
  testAccuracy,
  trainCicy,
  trainingRun,
  validationLine,
} from "@physml/symmetry-finder";
import type { z } from "zod";
import type { CommandBody, CommandIO, RawFlags } from "../command.js";
import { failedCheck } from "../failed-check.js";
import { boolFlag, emit } from "../flags.js";
import { progressLines, runFlags as runFlagsOf, runFromFlags } from "../run-flags.js";
import { configFlags, flagSpecs, optionsFromFlags, withFlagErrors } from "../schema-flags.js";
import { carriedInto, secondsByStage } from "../seconds.js";

const NOSCALE_FLAGS = configFlags(noscaleOptionsSchema);

/**
 * A `physml symmetry <kind>` command whose training checkpoints in its run directory: its flags
 * (the schema's and the run flags), `body` run in the run directory (see `runFromFlags`), and the
 * result printed as JSON or as `lines` followed by the run directory.
 */
function runCommand<S extends z.ZodType, R extends object>(c: {
  kind: string;
  schema: S;
  examples: string[];
  body: (
    config: z.output<S>,
    run: Run<z.output<S>>,
    io: CommandIO,
    flags: RawFlags,
  ) => Promise<{ result: R; report: string }>;
  lines: (result: R) => string[];
  /** The exit code of a result (default 0): 3, through `failedCheck`, when it failed its own validation. */
  exitCode?: (result: R, io: CommandIO) => number;
  renamed?: Readonly<Record<string, string>>;
}): CommandBody {
  const schemaFlags = configFlags(c.schema);
  return {
    options: c.schema,
    flags: {
      ...flagSpecs(schemaFlags),
      ...runFlagsOf(`symmetry-${c.kind}`),
      resume: {
        type: "boolean",
        description: `continue the unfinished run in --out from its last checkpoint (every ${CHECKPOINT_SECONDS} s of training and after its last epoch), or report a finished one (flags given must match its config)`,
      },
    },
    examples: c.examples,
    async run(flags, io) {
      const result = await runFromFlags(
        inSymmetryRun,
        `symmetry-${c.kind}`,
        c.schema,
        schemaFlags,
        flags,
        io,
        (o, run) => c.body(o, run, io, flags),
        { renamed: c.renamed },
      );
      emit(io, boolFlag(flags, "json"), result, () =>
        [...c.lines(result), `run directory: ${result.out}`].join("\n"),
      );
      return c.exitCode?.(result, io) ?? 0;
    },
  };
}

/**
 * Runs a step after the training whose input error (a network class too small for the generator
 * search) leaves an unfinished run behind: the error says so and how to start again, since a
 * resume with other flags is refused and one with the same flags fails the same way.
 */
function afterTraining<T>(dir: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (!(e instanceof PhysmlInputError)) throw e;
    throw new PhysmlInputError(
      e.field,
      e.allowed,
      e.received,
      `${e.detail ? `${e.detail}; ` : ""}the trained classifier stays in ${dir} as an unfinished run: run again with --force or another --out`,
    );
  }
}

/** neighbourAccuracy: per-label fractions and the share of labels above the threshold. */
function neighbourJson(r: NeighbourReport) {
  return {
    k: r.k,
    threshold: r.threshold,
    shareAbove: r.shareAbove,
    meanScore: r.meanScore,
    perLabel: r.perLabel,
  };
}

function writeStage(run: Run<unknown>, stage: EmbeddingStage): void {
  const { data } = stage;
  run.writeArray("points", data.x, [data.n, data.dim]);
  run.writeArray("labels", data.labels, [data.n]);
  run.writeArray("embeddings", stage.embedding, [data.n, stage.embedding.length / data.n]);
  run.writeArray("neighbour-scores", stage.neighbours.scores, [stage.neighbours.scores.length]);
}

/**
 * The training `name` of `run`: its checkpoints in the run (continuing a resumed run's), one
 * metrics line and one progress line (`line`) on stderr per epoch.
 */
function epochTraining<M extends { epoch: number }>(
  io: CommandIO,
  flags: RawFlags,
  run: Run<unknown>,
  name: TrainingKind,
  line: (m: M) => string,
) {
  const say = progressLines(io, flags);
  const t = trainingRun<M>(run, name, { onResume: say });
  return {
    checkpoints: t.checkpoints,
    onEpoch: (m: M) => {
      t.record(m);
      say(line(m));
    },
  };
}

/** The classifier's training in the run (see {@link epochTraining}). */
const classifierTraining = (io: CommandIO, flags: RawFlags, run: Run<unknown>) =>
  epochTraining<EpochMetrics>(
    io,
    flags,
    run,
    "classifier",
    (m) => `epoch ${m.epoch}  loss ${m.loss.toFixed(4)}  accuracy ${m.accuracy.toFixed(4)}`,
  );

export const potentialCommand = runCommand({
  kind: "potential",
  schema: potentialOptionsSchema,
  examples: ["physml symmetry potential --potential double-well --dim 3 --json"],
  body: async (o, run, io, flags) => {
    const { potential: name, dim, perClass, seed, maxMemory } = o;
    const pot = POTENTIALS[name](dim);
    const stage = embedPotential(pot, {
      perClass,
      seed,
      maxMemory,
      ...classifierTraining(io, flags, run),
    });
    writeStage(run, stage);
    const result = {
      potential: name,
      dim: pot.dim,
      levels: pot.levels,
      points: stage.data.n,
      accuracy: stage.trained.accuracy,
      converged: stage.trained.converged,
      epochs: stage.trained.history.length,
      neighbourAccuracy: neighbourJson(stage.neighbours),
      ...secondsByStage(carriedInto(stage.seconds, "train", run)),
    };
    const report = await reportHtml(potentialReport(`symmetry potential: ${name} in R^${pot.dim}`, stage));
    return { result, report };
  },
  lines: (result) => {
    const nb = result.neighbourAccuracy;
    return [
      `${result.potential} in R^${result.dim}: ${plural(result.points, "point")}, accuracy ${result.accuracy.toFixed(4)} after ${plural(result.epochs, "epoch")}`,
      `neighbours: mean score ${nb.meanScore.toFixed(4)}, labels above ${nb.threshold}: ${(100 * nb.shareAbove).toFixed(1)}%`,
    ];
  },
});

export const generatorsCommand = runCommand({
  kind: "generators",
  schema: generatorsOptionsSchema,
  examples: ["physml symmetry generators --group so3 --json", "physml symmetry generators --group so2xso2"],
  body: async (o, run, io, flags) => {
    const { group, perClass, seed, maxMemory } = o;
    const builtIn = group in BUILTIN_GROUPS;
    const kind = o.method ?? defaultGeneratorKind(group);
    let stage: EmbeddingStage;
    let pot: ReturnType<(typeof POTENTIALS)[PotentialName]> | undefined;
    if (builtIn) {
      const [name, dim] = BUILTIN_GROUPS[group as BuiltinGroup];
      pot = POTENTIALS[name](dim);
      stage = embedPotential(pot, { perClass, seed, maxMemory, ...classifierTraining(io, flags, run) });
    } else {
      const data = await readLabelledPoints(group, o.labels as string);
      checkClassSizes(data, generatorMethod(kind, data.dim), "group");
      stage = embedData(data, { seed, maxMemory, ...classifierTraining(io, flags, run) });
    }
    const method = generatorMethod(kind, stage.data.dim);
    const gen = afterTraining(run.dir, () => generatorsOf(stage, method, seedPlus(seed, 2), pot));
    writeStage(run, stage);
    const { report } = gen;
    const n = stage.data.dim;
    const flat = new Float64Array(report.flat.length * n * n);
    report.flat.forEach((g, i) => {
      flat.set(g, i * n * n);
    });
    run.writeArray("generators", flat, [report.flat.length, n, n]);
    const result = {
      group,
      method: kind,
      accuracy: stage.trained.accuracy,
      neighbourAccuracy: neighbourJson(stage.neighbours),
      explainedVariance: report.explainedVariance,
      ...(report.spectrum ? { constraintSpectrum: report.spectrum } : {}),
      generators: report.generators,
      closureResidual: report.closureResidual,
      structureConstants: report.structureConstants,
      antisymmetry: report.antisymmetry,
      orthonormality: report.orthonormality,
      ...(gen.angleToTrue !== undefined ? { angleToTrue: gen.angleToTrue } : {}),
      validation: {
        passed: gen.validation.passed,
        failures: gen.validation.failures,
        targets: gen.validation.targets,
      },
      ...secondsByStage(carriedInto({ ...stage.seconds, generators: gen.seconds }, "train", run)),
    };
    const html = await reportHtml(generatorsReport(`symmetry generators: ${group} (${kind})`, stage, gen));
    return { result, report: html };
  },
  lines: (result) => [
    `${result.generators.length} generators (${result.method}); explained variance ${result.explainedVariance
      .slice(0, result.generators.length + 1)
      .map((v) => v.toFixed(4))
      .join(" ")}`,
    `closure residual ${result.closureResidual.toExponential(2)}, antisymmetry ${result.antisymmetry.toExponential(2)}` +
      (result.angleToTrue !== undefined
        ? `, angle to the true algebra ${result.angleToTrue.toFixed(4)} rad`
        : ""),
    // a run stored before the verdict existed has none
    ...(result.validation ? [validationLine(result.validation)] : []),
  ],
  exitCode: (result, io) =>
    !result.validation || result.validation.passed
      ? 0
      : failedCheck(io, `the generator search on ${result.group}`, result.validation.failures),
});

export const cicyCommand = runCommand({
  kind: "cicy",
  schema: cicyOptionsSchema,
  examples: ["physml symmetry cicy --epochs 5 --json"],
  body: async (o, run, io, flags) => {
    const { neighbourCopies: nCopies, seed } = o;
    const list = await readCicyList(o.data);
    const cicys = cicysOf(list.cicys, o);
    const dropped = list.dropped;
    const cfg = cicyConfigOf(o);
    const training = epochTraining<CicyMetrics>(
      io,
      flags,
      run,
      "cicy",
      (m) =>
        `epoch ${m.epoch}  loss ${m.loss.toFixed(4)}${m.h11Train === undefined ? "" : `  training h11 ${m.h11Train.toFixed(4)} h21 ${m.h21Train?.toFixed(4)}`}  validation h11 ${m.h11Accuracy.toFixed(4)} h21 ${m.h21Accuracy.toFixed(4)}  test h11 ${m.h11Test.toFixed(4)} h21 ${m.h21Test.toFixed(4)}  ${m.seconds.toFixed(0)} s`,
    );
    const t = trainCicy(cicys, cfg, training.onEpoch, training.checkpoints);
    const last = t.history[t.history.length - 1];
    const acc = testAccuracy(t.net, t.state.params, cicys, t.split.test);
    // the neighbour analysis asks whether the network learned the permutation symmetry: only the
    // paper's MLP can answer (the equivariant network is invariant by construction). With the
    // paper's fixed set it runs, as in the paper, on that set; else on fresh copies.
    const fixed = cfg.arrangements !== undefined ? fixedTrainingSet(cicys, cfg, t.split) : undefined;
    const shares =
      o.architecture !== "mlp"
        ? undefined
        : fixed
          ? cicyNeighbourShares(t, cicys, fixed, { anchorsPerCicy: o.neighbourAnchors })
          : cicyNeighbourShares(t, cicys, augmentCicys(cicys, nCopies, seedPlus(seed, 5), true), {
              anchorsPerCicy: 1,
            });
    const all = shares?.all;
    const byClass = (h11: number, h21: number) => shares?.classes.find((c) => c.h11 === h11 && c.h21 === h21);
    const s1020 = byClass(10, 20);
    const result = {
      cicys: cicys.length,
      dropped,
      architecture: o.architecture,
      split: t.split.kind,
      trainCicys: t.split.train.length,
      testInputs: t.split.test.index.length,
      singleArrangement: t.split.singleArrangement,
      epochs: t.history.length,
      samples: last.samples,
      trainSeconds: last.seconds,
      converged: t.converged,
      ...(last.h11Train !== undefined && last.h21Train !== undefined
        ? { trainAccuracy: { h11: last.h11Train, h21: last.h21Train } }
        : {}),
      hodgeAccuracy: {
        h11: acc.h11.accuracy,
        h21: acc.h21.accuracy,
        h11Error: acc.h11.error,
        h21Error: acc.h21.error,
        n: acc.h11.n,
      },
      ...(shares && all
        ? {
            neighbourSet: fixed ? "fixed" : "fresh",
            neighbourAccuracy: neighbourJson(all.report),
            ...(s1020 ? { neighbourAccuracy1020: neighbourJson(s1020.neighbours.report) } : {}),
            neighbourAccuracyByClass: shares.classes.map((c) => ({
              h11: c.h11,
              h21: c.h21,
              cicys: c.cicys,
              ...neighbourJson(c.neighbours.report),
            })),
            confusedPairs: all.confusedPairs,
            confusedSameInvariants: all.confusedSameInvariants,
            confusedSameHodge: all.confusedSameHodge,
          }
        : {}),
    };
    const report = await reportHtml(
      cicyReport({
        history: t.history,
        accuracy: acc,
        split: t.split,
        model: o.architecture,
        all,
        classes: shares?.classes,
      }),
    );
    return { result, report };
  },
  lines: (result) => {
    const h = result.hodgeAccuracy;
    const pm = (a: number, e: number) => `${a.toFixed(4)} ± ${e.toFixed(4)}`;
    return [
      `${plural(result.cicys, "CICY")} (${result.dropped} products dropped), ${result.architecture}, ${plural(result.epochs, "epoch")}, ${result.trainSeconds.toFixed(0)} s`,
      `test (${result.split} split, ${h.n} CICYs): h11 ${pm(h.h11, h.h11Error)}, h21 ${pm(h.h21, h.h21Error)}`,
      ...(result.neighbourAccuracy
        ? [
            `neighbour accuracy by CICY (${result.neighbourSet} set): ${(100 * result.neighbourAccuracy.shareAbove).toFixed(1)}% of labels above 95% (all)${(result.neighbourAccuracyByClass ?? []).map((c) => `, ${(100 * c.shareAbove).toFixed(1)}% within (${c.h11}, ${c.h21})`).join("")}`,
            `confused neighbours sharing (h11, h21, c2·J): ${(100 * (result.confusedSameInvariants ?? 0)).toFixed(1)}% of ${result.confusedPairs} (sharing (h11, h21): ${(100 * (result.confusedSameHodge ?? 0)).toFixed(1)}%)`,
          ]
        : []),
    ];
  },
  renamed: CICY_RENAMED_FIELDS,
});

export const noscaleCommand: CommandBody = {
  options: noscaleOptionsSchema,
  flags: flagSpecs(NOSCALE_FLAGS),
  examples: [
    'physml symmetry noscale --kahler "-3*log(T + conj(T) - phi*conj(phi))"',
    'physml symmetry noscale --kahler "-3*log(T + conj(T) + xi/(T + conj(T))^(3/2))" --param xi=0.01 --json',
  ],
  async run(flags, io) {
    const o = optionsFromFlags(noscaleOptionsSchema, NOSCALE_FLAGS, flags);
    const text = o.kahler;
    // the library names the expression's field (`kahler`); the user gave it as --kahler
    const r = withFlagErrors(NOSCALE_FLAGS, flags, () =>
      analyseNoScale(parseKahler(text, o.param), { points: o.points, re: o.re, im: o.im, seed: o.seed }),
    );
    emit(io, boolFlag(flags, "json"), { kahler: text, ...r }, () =>
      [
        `K = ${text}   fields: ${r.fields.join(", ")}   (${plural(r.points, "point")})`,
        `K_A K^{AB̄} K_B̄ = ${r.kineticMean.toPrecision(12)}  [${r.kineticMin.toPrecision(12)}, ${r.kineticMax.toPrecision(12)}]`,
        `det ∂∂̄e^{-K/3} / ((−e^{-K/3}/3)^n det K_AB̄): max |·| = ${r.detRatioMaxAbs.toExponential(3)}`,
        `shift-symmetric fields: ${r.shiftSymmetric.join(", ") || "none"}; scaling weight: ${r.scalingWeight?.toPrecision(6) ?? "none"}; per-field weights: ${
          r.scalingWeights
            ? Object.entries(r.scalingWeights)
                .map(([f, q]) => `${f} ${q.toPrecision(6)}`)
                .join(", ")
            : "none"
        }`,
        `verdict: ${r.verdict}`,
      ].join("\n"),
    );
  },
};
