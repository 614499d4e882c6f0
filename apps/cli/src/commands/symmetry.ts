// physml symmetry potential | generators | cicy | noscale: thin wrappers over
// @physml/symmetry-finder (progress on stderr; --json prints the result object on stdout; arrays go
// to the run directory as .npy).
import { reportHtml } from "@physml/runs";
import {
  analyseNoScale,
  BUILTIN_GROUPS,
  type BuiltinGroup,
  type CicyNeighbourReport,
  cicyNeighbours,
  cicyOptionsSchema,
  cicyReport,
  type EmbeddingStage,
  embedData,
  embedPotential,
  type GeneratorMethod,
  generatorsOf,
  generatorsOptionsSchema,
  generatorsReport,
  type NeighbourReport,
  noscaleOptionsSchema,
  openRunDir,
  POTENTIALS,
  type PotentialName,
  parseKahler,
  potentialOptionsSchema,
  potentialReport,
  readCicyList,
  readLabelledPoints,
  testAccuracy,
  trainCicy,
} from "@physml/symmetry-finder";
import type { Command, CommandIO, FlagSpec } from "../command.js";
import { boolFlag, emit, stringFlag } from "../flags.js";
import { configFlags, flagSpecs, optionsFromFlags, withFlagErrors } from "../schema-flags.js";

const POTENTIAL_FLAGS = configFlags(potentialOptionsSchema);
const GENERATORS_FLAGS = configFlags(generatorsOptionsSchema);
const CICY_FLAGS = configFlags(cicyOptionsSchema);
const NOSCALE_FLAGS = configFlags(noscaleOptionsSchema);

const outFlag = (kind: string): FlagSpec => ({
  type: "string",
  description: "run directory",
  default: `runs/symmetry-${kind}-<time>`,
});

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-");

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

async function writeStage(out: string, stage: EmbeddingStage, config: unknown) {
  const dir = await openRunDir(out);
  const { data } = stage;
  await dir.json("config.json", config);
  await dir.npy("points.npy", data.x, [data.n, data.dim]);
  await dir.npy("labels.npy", data.labels, [data.n]);
  await dir.npy("embeddings.npy", stage.embedding, [data.n, stage.embedding.length / data.n]);
  await dir.npy("neighbour-scores.npy", stage.neighbours.scores, [stage.neighbours.scores.length]);
  return dir;
}

const progress = (io: CommandIO) => (m: { epoch: number; accuracy: number; loss: number }) =>
  io.stderr(`epoch ${m.epoch}  loss ${m.loss.toFixed(4)}  accuracy ${m.accuracy.toFixed(4)}\n`);

const potentialCommand: Command = {
  path: ["symmetry", "potential"],
  summary: "classify points by potential bin and read invariances from the embedding layer",
  options: potentialOptionsSchema,
  flags: { ...flagSpecs(POTENTIAL_FLAGS), out: outFlag("potential") },
  examples: ["physml symmetry potential --potential double-well --dim 3 --json"],
  async run(flags, io) {
    const {
      potential: name,
      dim,
      perClass,
      seed,
      maxMemory,
    } = optionsFromFlags(potentialOptionsSchema, POTENTIAL_FLAGS, flags);
    const out = stringFlag(flags, "out") ?? `runs/symmetry-potential-${stamp()}`;
    const pot = POTENTIALS[name](dim);
    const stage = withFlagErrors(POTENTIAL_FLAGS, flags, () =>
      embedPotential(pot, { perClass, seed, maxMemory, onEpoch: progress(io) }),
    );
    const dir = await writeStage(out, stage, {
      potential: name,
      dim: pot.dim,
      perClass,
      seed,
      levels: pot.levels,
    });
    const result = {
      potential: name,
      dim: pot.dim,
      points: stage.data.n,
      accuracy: stage.trained.accuracy,
      converged: stage.trained.converged,
      epochs: stage.trained.history.length,
      neighbourAccuracy: neighbourJson(stage.neighbours),
      seconds: stage.seconds,
      out: dir.path,
    };
    await dir.json("result.json", result);
    await dir.text(
      "report.html",
      await reportHtml(potentialReport(`symmetry potential: ${name} in R^${pot.dim}`, stage)),
    );
    emit(io, boolFlag(flags, "json"), result, () =>
      [
        `${name} in R^${pot.dim}: ${stage.data.n} points, accuracy ${result.accuracy.toFixed(4)} after ${result.epochs} epochs`,
        `neighbours: mean score ${stage.neighbours.meanScore.toFixed(4)}, labels above ${stage.neighbours.threshold}: ${(100 * stage.neighbours.shareAbove).toFixed(1)}%`,
        `run directory: ${dir.path}`,
      ].join("\n"),
    );
  },
};

const generatorsCommand: Command = {
  path: ["symmetry", "generators"],
  summary: "find the Lie-algebra generators of a symmetry, end to end (data, classifier, generators)",
  options: generatorsOptionsSchema,
  flags: { ...flagSpecs(GENERATORS_FLAGS), out: outFlag("generators") },
  examples: ["physml symmetry generators --group so3 --json", "physml symmetry generators --group so2xso2"],
  async run(flags, io) {
    const o = optionsFromFlags(generatorsOptionsSchema, GENERATORS_FLAGS, flags);
    const { group, perClass, seed, maxMemory } = o;
    const builtIn = group in BUILTIN_GROUPS;
    const kind = o.method ?? (group === "so3" || group === "so4" ? "planes" : "tangent");
    const out = stringFlag(flags, "out") ?? `runs/symmetry-generators-${stamp()}`;
    let stage: EmbeddingStage;
    let pot: ReturnType<(typeof POTENTIALS)[PotentialName]> | undefined;
    if (builtIn) {
      const [name, dim] = BUILTIN_GROUPS[group as BuiltinGroup];
      const builtInPot = POTENTIALS[name](dim);
      pot = builtInPot;
      stage = withFlagErrors(GENERATORS_FLAGS, flags, () =>
        embedPotential(builtInPot, { perClass, seed, maxMemory, onEpoch: progress(io) }),
      );
    } else {
      const data = await readLabelledPoints(group, o.labels as string);
      stage = withFlagErrors(GENERATORS_FLAGS, flags, () =>
        embedData(data, { seed, maxMemory, onEpoch: progress(io) }),
      );
    }
    const method: GeneratorMethod =
      kind === "planes" && stage.data.dim === 4 ? { kind, options: { delta: 0.15, epsilon: 0.2 } } : { kind };
    const gen = generatorsOf(stage, method, seed + 2, pot);
    const dir = await writeStage(out, stage, { group, method: kind, perClass, seed });
    const { report } = gen;
    const n = stage.data.dim;
    const flat = new Float64Array(report.flat.length * n * n);
    report.flat.forEach((g, i) => {
      flat.set(g, i * n * n);
    });
    await dir.npy("generators.npy", flat, [report.flat.length, n, n]);
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
      seconds: { ...stage.seconds, generators: gen.seconds },
      out: dir.path,
    };
    await dir.json("result.json", result);
    await dir.text(
      "report.html",
      await reportHtml(generatorsReport(`symmetry generators: ${group} (${kind})`, stage, gen)),
    );
    emit(io, boolFlag(flags, "json"), result, () =>
      [
        `${report.generators.length} generators (${kind}); explained variance ${report.explainedVariance
          .slice(0, report.generators.length + 1)
          .map((v) => v.toFixed(4))
          .join(" ")}`,
        `closure residual ${report.closureResidual.toExponential(2)}, antisymmetry ${report.antisymmetry.toExponential(2)}` +
          (gen.angleToTrue !== undefined
            ? `, angle to the true algebra ${gen.angleToTrue.toFixed(4)} rad`
            : ""),
        `run directory: ${dir.path}`,
      ].join("\n"),
    );
  },
};

const cicyCommand: Command = {
  path: ["symmetry", "cicy"],
  summary:
    "Hodge numbers of CICY threefolds from permuted configuration matrices; neighbour analysis by CICY",
  options: cicyOptionsSchema,
  flags: { ...flagSpecs(CICY_FLAGS), out: outFlag("cicy") },
  examples: ["physml symmetry cicy --epochs 5 --json"],
  async run(flags, io) {
    const o = optionsFromFlags(cicyOptionsSchema, CICY_FLAGS, flags);
    const { maxEpochs: epochs, maxSeconds, neighbourCopies: nCopies, seed } = o;
    const out = stringFlag(flags, "out") ?? `runs/symmetry-cicy-${stamp()}`;
    const { cicys, dropped } = await readCicyList(o.data);
    const cfg = {
      seed,
      model: o.model,
      split: o.split,
      testFraction: o.testFraction,
      copies: o.copies,
      lr: o.lr,
      lrDecay: o.lrDecay,
      batch: o.batch,
      maxEpochs: epochs,
      ...(maxSeconds !== undefined ? { maxSeconds } : {}),
    };
    const t = trainCicy(cicys, cfg, (m) =>
      io.stderr(
        `epoch ${m.epoch}  loss ${m.loss.toFixed(4)}  validation h11 ${m.h11Accuracy.toFixed(4)} h21 ${m.h21Accuracy.toFixed(4)}  test h11 ${m.h11Test.toFixed(4)} h21 ${m.h21Test.toFixed(4)}  ${m.seconds.toFixed(0)} s\n`,
      ),
    );
    const last = t.history[t.history.length - 1];
    const acc = testAccuracy(t.net, t.state.params, cicys, t.split.test);
    // the neighbour analysis asks whether the network learned the permutation symmetry: only the
    // paper's MLP can answer (the equivariant network is invariant by construction)
    const analyse = o.model === "mlp";
    const all: CicyNeighbourReport | undefined = analyse
      ? cicyNeighbours(t, cicys, { copies: nCopies, seed: seed + 5, anchorsPerCicy: 1 })
      : undefined;
    const sub = cicys.filter((c) => c.h11 === 10 && c.h21 === 20);
    // (a --data list may hold fewer than two CICYs with (h11, h21) = (10, 20))
    const s1020 =
      analyse && sub.length >= 2 ? cicyNeighbours(t, sub, { copies: nCopies, seed: seed + 6 }) : undefined;
    const dir = await openRunDir(out);
    await dir.json("config.json", { ...cfg, neighbourCopies: nCopies });
    await dir.json("history.json", t.history);
    const result = {
      cicys: cicys.length,
      dropped,
      model: o.model,
      split: t.split.kind,
      trainCicys: t.split.train.length,
      testInputs: t.split.test.index.length,
      singleArrangement: t.split.singleArrangement,
      epochs: t.history.length,
      samples: last.samples,
      trainSeconds: last.seconds,
      converged: t.converged,
      hodgeAccuracy: {
        h11: acc.h11.accuracy,
        h21: acc.h21.accuracy,
        h11Error: acc.h11.error,
        h21Error: acc.h21.error,
        n: acc.h11.n,
      },
      ...(all
        ? {
            neighbourAccuracy: neighbourJson(all.report),
            ...(s1020 ? { neighbourAccuracy1020: neighbourJson(s1020.report) } : {}),
            confusedPairs: all.confusedPairs,
            confusedSameInvariants: all.confusedSameInvariants,
          }
        : {}),
      out: dir.path,
    };
    await dir.json("result.json", result);
    await dir.text(
      "report.html",
      await reportHtml(
        cicyReport({ history: t.history, accuracy: acc, split: t.split, model: o.model, all, s1020 }),
      ),
    );
    const pm = (h: { accuracy: number; error: number }) => `${h.accuracy.toFixed(4)} ± ${h.error.toFixed(4)}`;
    emit(io, boolFlag(flags, "json"), result, () =>
      [
        `${cicys.length} CICYs (${dropped} products dropped), ${o.model}, ${result.epochs} epochs, ${result.trainSeconds.toFixed(0)} s`,
        `test (${t.split.kind} split, ${acc.h11.n} CICYs): h11 ${pm(acc.h11)}, h21 ${pm(acc.h21)}`,
        ...(all
          ? [
              `neighbour accuracy by CICY: ${(100 * all.report.shareAbove).toFixed(1)}% of labels above 95% (all)${s1020 ? `, ${(100 * s1020.report.shareAbove).toFixed(1)}% within (10, 20)` : ""}`,
              `confused neighbours sharing (h11, h21, c2·J): ${(100 * all.confusedSameInvariants).toFixed(1)}% of ${all.confusedPairs}`,
            ]
          : []),
        `run directory: ${dir.path}`,
      ].join("\n"),
    );
  },
};

const noscaleCommand: Command = {
  path: ["symmetry", "noscale"],
  summary: "no-scale structure of a Kähler potential: K_A K^{AB̄} K_B̄, det ∂∂̄e^{-K/3}, scaling weight",
  options: noscaleOptionsSchema,
  flags: flagSpecs(NOSCALE_FLAGS),
  examples: [
    'physml symmetry noscale --kahler "-3*log(T + conj(T) - phi*conj(phi))"',
    'physml symmetry noscale --kahler "-3*log(T + conj(T) + xi/(T + conj(T))^(3/2))" --param xi=0.01 --json',
  ],
  async run(flags, io) {
    const o = optionsFromFlags(noscaleOptionsSchema, NOSCALE_FLAGS, flags);
    const text = o.kahler;
    const K = parseKahler(text, o.param);
    const r = analyseNoScale(K, { points: o.points, re: o.re, im: o.im, seed: o.seed });
    emit(io, boolFlag(flags, "json"), { kahler: text, ...r }, () =>
      [
        `K = ${text}   fields: ${r.fields.join(", ")}   (${r.points} points)`,
        `K_A K^{AB̄} K_B̄ = ${r.kineticMean.toPrecision(12)}  [${r.kineticMin.toPrecision(12)}, ${r.kineticMax.toPrecision(12)}]`,
        `det ∂∂̄e^{-K/3} / ((−e^{-K/3}/3)^n det K_AB̄): max |·| = ${r.detRatioMaxAbs.toExponential(3)}`,
        `shift-symmetric fields: ${r.shiftSymmetric.join(", ") || "none"}; scaling weight: ${r.scalingWeight ?? "none"}; per-field weights: ${
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

export const SYMMETRY_COMMANDS: Command[] = [
  potentialCommand,
  generatorsCommand,
  cicyCommand,
  noscaleCommand,
];
