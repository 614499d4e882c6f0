// `physml cy train` (a metric model trained on the Monge–Ampère loss in a run directory, checked
// against a σ target on held-out points: exit code 3 when it fails) and `physml cy eval` (a
// trained run on fresh points: σ, Vol_CY, κ, Ricci scalar). Thin wrappers over @physml/cy-metrics.

import {
  type CyEvalResult,
  type CyModel,
  type CyTrainResult,
  cyEvalOptionsSchema,
  cyTrainOptionsSchema,
  evaluateCyRun,
  runCyTrain,
  usesDegreeK,
} from "@physml/cy-metrics";
import { plural } from "@physml/lattice-core";
import { createProgress } from "@physml/runs";
import type { CommandBody, FlagSpec } from "../command.js";
import { failedCheck } from "../failed-check.js";
import { boolFlag, emit, FlagError, stringFlag } from "../flags.js";
import { defaultRunDir } from "../run-flags.js";
import {
  configFlags,
  flagError,
  flagSpecs,
  inputFromFlags,
  optionsFromFlags,
  withFlagErrors,
} from "../schema-flags.js";
import { warnAtConifold } from "./cy-conifold.js";

const TRAIN_FLAGS = configFlags(cyTrainOptionsSchema);
const EVAL_FLAGS = configFlags(cyEvalOptionsSchema);

const RUN_FLAGS: Record<string, FlagSpec> = {
  out: { type: "string", description: "run directory", default: "runs/cy-train-<time>" },
  resume: {
    type: "boolean",
    description:
      "continue the run in --out (flags given must match its config; a finished run reports its result)",
  },
  force: { type: "boolean", description: "archive the run already in --out and start anew" },
  quiet: { type: "boolean", description: "no progress bar and no log lines on stderr" },
};

const pm = (v: { mean: number; error: number }, d = 4) =>
  `${v.mean.toPrecision(d)} ± ${v.error.toPrecision(2)}`;
/** "k = 6, " for the models built on sections of degree k; nothing for the network models, which ignore --k. */
const degree = (r: { metricModel: CyModel; k: number }) => (usesDegreeK(r.metricModel) ? `k = ${r.k}, ` : "");
const psiText = (p: { re: number; im: number }) => `${p.re}${p.im < 0 ? "−" : "+"}${Math.abs(p.im)}i`;

function trainText(r: CyTrainResult, out: string): string {
  return [
    `cy train: ${r.metricModel} model, ${degree(r)}ψ = ${psiText(r.psi)}, ${plural(r.epochs, "epoch")} on ${plural(r.points, "point")} (${r.lossFunction} loss)`,
    `  σ  ${pm(r.sigma)}  on ${r.evalPoints} held-out points (start ${pm(r.sigmaStart)}, Fubini–Study ${pm(r.sigmaFS)})`,
    `  Vol_CY ${pm(r.volCY, 6)}, κ ${pm(r.kappa, 5)}`,
    ...(r.heldOutPsi ?? []).map(
      (h) =>
        `  held-out ψ = ${h.psi.re}: σ ${pm(h.sigma)} (start ${pm(h.sigmaStart)})${h.passed ? "" : "  NOT below the target"}`,
    ),
    `  ${r.verdict}`,
    `  ${r.seconds.toFixed(1)} s; run directory ${out} (report.html, arrays/*.npy)`,
  ].join("\n");
}

export const trainCommand: CommandBody = {
  options: cyTrainOptionsSchema,
  flags: { ...flagSpecs(TRAIN_FLAGS), ...RUN_FLAGS },
  examples: [
    "physml cy train --k 6 --epochs 5 --out runs/cy-fermat",
    "physml cy train --model phi --k 1 --iterations 0 --hidden 64,64 --epochs 20",
    "physml cy train --model mult --points 10000 --batch 200 --lr 0.005 --alpha 1,1,1,1",
    "physml cy train --out runs/cy-fermat --resume",
    "physml cy train --psi-range 0:0.6 --psi 0.3 --out runs/cy-psi",
  ],
  async run(flags, io) {
    const out = stringFlag(flags, "out") ?? defaultRunDir("cy-train");
    const bar = createProgress({
      quiet: boolFlag(flags, "quiet"),
      write: io.stderr,
      label: () => "cy train",
    });
    const input = inputFromFlags(TRAIN_FLAGS, flags, {}, !boolFlag(flags, "resume"));
    let r: CyTrainResult;
    try {
      r = await runCyTrain(input, {
        out,
        resume: boolFlag(flags, "resume"),
        force: boolFlag(flags, "force"),
        hooks: {
          onConfig: (c) => warnAtConifold(io, c.psi),
          log: (m) => bar.log(`physml cy train: ${m}`),
          onEpoch: (m, total) => {
            bar.log(
              `physml cy train: epoch ${m.epoch}/${total}, loss ${m.loss.toExponential(3)}, σ ${m.sigma.toFixed(5)} ± ${m.sigmaError.toFixed(5)}, ${m.seconds.toFixed(1)} s`,
            );
            bar.update(m.epoch, total, { sigma: m.sigma.toFixed(5) });
            if (m.epoch === total) bar.stop();
          },
        },
      });
    } catch (e) {
      bar.stop();
      throw flagError(e, TRAIN_FLAGS, flags);
    }
    emit(io, boolFlag(flags, "json"), r, () => trainText(r, out));
    if (r.passed) return 0;
    // The verdict is a sentence of its own ("FAILED: σ = … is not below the target …; try …"):
    // the warning says FAILED once.
    return failedCheck(io, "the trained metric", [r.verdict.replace(/^FAILED: /, "")]);
  },
};

function evalText(r: CyEvalResult): string {
  return [
    `cy eval: ${r.run} (${r.metricModel}, ${degree(r)}ψ = ${psiText(r.psi)}, epoch ${r.epoch}) on ${r.points} fresh points (seed ${r.seed})`,
    `  σ  ${pm(r.sigma)}   (Fubini–Study ${pm(r.sigmaFS)})`,
    `  Vol_CY ${pm(r.volCY, 6)}, κ ${pm(r.kappa, 5)}`,
    r.ricci
      ? `  mean |R| ${pm(r.ricci.model)} on ${plural(r.ricci.points, "point")} (Fubini–Study ${pm(r.ricci.fubiniStudy)})`
      : "  Ricci scalar skipped (--ricci-points 0)",
    `  ${r.seconds.toFixed(1)} s; written to ${r.run}/eval.json`,
  ].join("\n");
}

export const evalCommand: CommandBody = {
  options: cyEvalOptionsSchema,
  flags: {
    ...flagSpecs(EVAL_FLAGS),
    run: { type: "string", description: "run directory written by `physml cy train`", required: true },
    quiet: { type: "boolean", description: "no log lines on stderr" },
  },
  examples: [
    "physml cy eval --run runs/cy-fermat",
    "physml cy eval --run runs/cy-fermat --points 50000 --json",
  ],
  async run(flags, io) {
    const o = optionsFromFlags(cyEvalOptionsSchema, EVAL_FLAGS, flags);
    const dir = stringFlag(flags, "run");
    if (dir === undefined)
      throw new FlagError("run", "a run directory written by `physml cy train`", "nothing");
    const quiet = boolFlag(flags, "quiet");
    const r: CyEvalResult = withFlagErrors(EVAL_FLAGS, flags, () =>
      evaluateCyRun(dir, o, (m) => {
        if (!quiet) io.stderr(`physml cy eval: ${m}\n`);
      }),
    );
    emit(io, boolFlag(flags, "json"), r, () => evalText(r));
  },
};
