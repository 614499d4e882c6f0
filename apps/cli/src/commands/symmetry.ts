// physml symmetry potential | generators | cicy | noscale: thin wrappers over
// @physml/symmetry-finder (progress on stderr; --json prints the result object on stdout; arrays go
// to the run directory as .npy).
import {
  analyseNoScale,
  augmentCicys,
  type CicyNeighbourReport,
  cicyNeighbours,
  type EmbeddingStage,
  embedData,
  embedPotential,
  type GeneratorMethod,
  generatorsOf,
  hodgeAccuracy,
  type NeighbourReport,
  openRunDir,
  POTENTIALS,
  type PotentialName,
  parseKahler,
  readCicyList,
  readLabelledPoints,
  trainCicy,
} from "@physml/symmetry-finder";
import type { Command, CommandIO, RawFlags } from "../command.js";
import { boolFlag, choiceFlag, emit, FlagError, intFlag, numberFlag, stringFlag } from "../flags.js";

const POTENTIAL_NAMES = Object.keys(POTENTIALS) as PotentialName[];
const GROUPS = {
  so3: ["double-well", 3],
  so4: ["double-well", 4],
  so2xso2: ["so2xso2", 4],
  so3in4: ["so3in4", 4],
} as const;
type Group = keyof typeof GROUPS;

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
  flags: {
    potential: { type: "string", description: POTENTIAL_NAMES.join(" | "), default: "double-well" },
    dim: { type: "string", description: "dimension 2…6 (double-well, on)", default: "3" },
    "per-class": { type: "string", description: "points per class", default: "1000" },
    seed: { type: "string", description: "random seed", default: "1" },
    out: { type: "string", description: "run directory", default: "runs/symmetry-potential-<time>" },
  },
  examples: ["physml symmetry potential --potential double-well --dim 3 --json"],
  async run(flags, io) {
    const name = choiceFlag(flags, "potential", "double-well", POTENTIAL_NAMES);
    const dim = intFlag(flags, "dim", 3, 2, 6);
    const perClass = intFlag(flags, "per-class", 1000, 10, 1e6);
    const seed = intFlag(flags, "seed", 1, 0);
    const out = stringFlag(flags, "out") ?? `runs/symmetry-potential-${stamp()}`;
    const pot = POTENTIALS[name](dim);
    const stage = embedPotential(pot, { perClass, seed, onEpoch: progress(io) });
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
  flags: {
    group: { type: "string", description: `${Object.keys(GROUPS).join(" | ")} | <points.npy>` },
    labels: { type: "string", description: "labels .npy (with --group <points.npy>)" },
    method: { type: "string", description: "planes (the paper) | tangent (invariance constraints)" },
    "per-class": { type: "string", description: "points per class (built-in groups)", default: "1000" },
    seed: { type: "string", description: "random seed", default: "1" },
    out: { type: "string", description: "run directory", default: "runs/symmetry-generators-<time>" },
  },
  examples: ["physml symmetry generators --group so3 --json", "physml symmetry generators --group so2xso2"],
  async run(flags, io) {
    const group = stringFlag(flags, "group");
    if (group === undefined)
      throw new FlagError("group", `${Object.keys(GROUPS).join("|")} or a .npy path`, undefined);
    const builtIn = group in GROUPS;
    if (!builtIn && !group.endsWith(".npy")) {
      throw new FlagError("group", `${Object.keys(GROUPS).join("|")} or a .npy path`, group);
    }
    const defMethod = builtIn && (group === "so3" || group === "so4") ? "planes" : "tangent";
    const kind = choiceFlag(flags, "method", defMethod, ["planes", "tangent"] as const);
    const perClass = intFlag(flags, "per-class", 1000, 10, 1e6);
    const seed = intFlag(flags, "seed", 1, 0);
    const out = stringFlag(flags, "out") ?? `runs/symmetry-generators-${stamp()}`;
    let stage: EmbeddingStage;
    let pot: ReturnType<(typeof POTENTIALS)[PotentialName]> | undefined;
    if (builtIn) {
      const [name, dim] = GROUPS[group as Group];
      pot = POTENTIALS[name](dim);
      stage = embedPotential(pot, { perClass, seed, onEpoch: progress(io) });
    } else {
      const labels = stringFlag(flags, "labels");
      if (labels === undefined)
        throw new FlagError("labels", "a labels .npy path with --group <points.npy>", undefined);
      stage = embedData(await readLabelledPoints(group, labels), { seed, onEpoch: progress(io) });
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
  flags: {
    data: {
      type: "string",
      description: "cicy3o.json.gz",
      default: "../shared/data/cicy3/cicy3o.json.gz beside the repository",
    },
    epochs: { type: "string", description: "training epochs at most", default: "2" },
    "max-seconds": { type: "string", description: "stop training after this many seconds" },
    copies: { type: "string", description: "permuted copies per CICY per epoch", default: "4" },
    "neighbour-copies": { type: "string", description: "permuted copies per CICY embedded", default: "4" },
    seed: { type: "string", description: "random seed", default: "1" },
    out: { type: "string", description: "run directory", default: "runs/symmetry-cicy-<time>" },
  },
  examples: ["physml symmetry cicy --epochs 5 --json"],
  async run(flags, io) {
    const epochs = intFlag(flags, "epochs", 2, 1, 1e6);
    const maxSeconds =
      flags["max-seconds"] === undefined ? undefined : numberFlag(flags, "max-seconds", 0, 1);
    const copies = intFlag(flags, "copies", 4, 1, 1000);
    const nCopies = intFlag(flags, "neighbour-copies", 4, 2, 100);
    const seed = intFlag(flags, "seed", 1, 0);
    const out = stringFlag(flags, "out") ?? `runs/symmetry-cicy-${stamp()}`;
    const { cicys, dropped } = await readCicyList(stringFlag(flags, "data"));
    const t = trainCicy(cicys, { seed, copies, maxEpochs: epochs, maxSeconds }, (m) =>
      io.stderr(
        `epoch ${m.epoch}  loss ${m.loss.toFixed(4)}  h11 ${m.h11Accuracy.toFixed(4)}  h21 ${m.h21Accuracy.toFixed(4)}  ${m.seconds.toFixed(0)} s\n`,
      ),
    );
    const last = t.history[t.history.length - 1];
    const all: CicyNeighbourReport = cicyNeighbours(t, cicys, {
      copies: nCopies,
      seed: seed + 5,
      anchorsPerCicy: 1,
    });
    const sub = cicys.filter((c) => c.h11 === 10 && c.h21 === 20);
    const s1020 = cicyNeighbours(t, sub, { copies: nCopies, seed: seed + 6 });
    const dir = await openRunDir(out);
    await dir.json("config.json", { epochs, maxSeconds, copies, neighbourCopies: nCopies, seed });
    await dir.json("history.json", t.history);
    const test = augmentCicys(cicys, 1, seed + 7, false);
    const acc = hodgeAccuracy(t.net, t.state.params, cicys, test);
    const result = {
      cicys: cicys.length,
      dropped,
      epochs: t.history.length,
      samples: last.samples,
      trainSeconds: last.seconds,
      converged: t.converged,
      hodgeAccuracy: acc,
      neighbourAccuracy: neighbourJson(all.report),
      neighbourAccuracy1020: neighbourJson(s1020.report),
      confusedPairs: all.confusedPairs,
      confusedSameInvariants: all.confusedSameInvariants,
      out: dir.path,
    };
    await dir.json("result.json", result);
    emit(io, boolFlag(flags, "json"), result, () =>
      [
        `${cicys.length} CICYs (${dropped} products dropped), ${result.epochs} epochs, ${result.trainSeconds.toFixed(0)} s`,
        `hodge accuracy on fresh permutations: h11 ${acc.h11.toFixed(4)}, h21 ${acc.h21.toFixed(4)}`,
        `neighbour accuracy by CICY: ${(100 * all.report.shareAbove).toFixed(1)}% of labels above 95% (all), ${(100 * s1020.report.shareAbove).toFixed(1)}% within (10, 20)`,
        `confused neighbours sharing (h11, h21, c2·J): ${(100 * all.confusedSameInvariants).toFixed(1)}% of ${all.confusedPairs}`,
        `run directory: ${dir.path}`,
      ].join("\n"),
    );
  },
};

function parseParams(s: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!s) return out;
  for (const kv of s.split(",")) {
    const [k, v] = kv.split("=");
    const x = Number(v);
    if (!k || v === undefined || !Number.isFinite(x))
      throw new FlagError("param", "name=number[,name=number…]", s);
    out[k.trim()] = x;
  }
  return out;
}

function rangeFlag(flags: RawFlags, name: string, def: [number, number]): [number, number] {
  const s = stringFlag(flags, name);
  if (s === undefined) return def;
  const [a, b] = s.split(":").map(Number);
  if (!Number.isFinite(a) || !Number.isFinite(b) || !(b >= a))
    throw new FlagError(name, "lo:hi with lo ≤ hi", s);
  return [a, b];
}

const noscaleCommand: Command = {
  path: ["symmetry", "noscale"],
  summary: "no-scale structure of a Kähler potential: K_A K^{AB̄} K_B̄, det ∂∂̄e^{-K/3}, scaling weight",
  flags: {
    kahler: { type: "string", description: 'the potential, e.g. "-3*log(T + conj(T))"' },
    param: { type: "string", description: "numeric parameters, e.g. xi=0.01,a=2" },
    points: { type: "string", description: "sampled points", default: "64" },
    re: { type: "string", description: "range of Re z", default: "0.5:2" },
    im: { type: "string", description: "range of Im z", default: "-1:1" },
    seed: { type: "string", description: "random seed", default: "1" },
  },
  examples: [
    'physml symmetry noscale --kahler "-3*log(T + conj(T) - phi*conj(phi))"',
    'physml symmetry noscale --kahler "-3*log(T + conj(T) + xi/(T + conj(T))^(3/2))" --param xi=0.01 --json',
  ],
  async run(flags, io) {
    const text = stringFlag(flags, "kahler");
    if (text === undefined) throw new FlagError("kahler", "a Kähler potential expression", undefined);
    const K = parseKahler(text, parseParams(stringFlag(flags, "param")));
    const r = analyseNoScale(K, {
      points: intFlag(flags, "points", 64, 1, 1e5),
      re: rangeFlag(flags, "re", [0.5, 2]),
      im: rangeFlag(flags, "im", [-1, 1]),
      seed: intFlag(flags, "seed", 1, 0),
    });
    emit(io, boolFlag(flags, "json"), { kahler: text, ...r }, () =>
      [
        `K = ${text}   fields: ${r.fields.join(", ")}   (${r.points} points)`,
        `K_A K^{AB̄} K_B̄ = ${r.kineticMean.toPrecision(12)}  [${r.kineticMin.toPrecision(12)}, ${r.kineticMax.toPrecision(12)}]`,
        `det ∂∂̄e^{-K/3} / ((−e^{-K/3}/3)^n det K_AB̄): max |·| = ${r.detRatioMaxAbs.toExponential(3)}`,
        `shift-symmetric fields: ${r.shiftSymmetric.join(", ") || "none"}; scaling weight: ${r.scalingWeight ?? "none"}`,
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
