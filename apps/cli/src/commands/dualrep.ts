// physml dualrep chain | ising2d | fourier: dual representations as classifier inputs (thin
// wrapper over @physml/dual-representations; flags, ranges and help come from its zod schemas;
// progress on stderr, --json prints the result on stdout; every run writes a run directory and
// checkpoints after every finished training and every 30 s inside one, so --resume continues an
// interrupted run).
import {
  type ChainRunResult,
  chainConfigSchema,
  type DftFrontEnds,
  type DualrepValidation,
  type FourierRunResult,
  fourierConfigSchema,
  type Ising2dRunResult,
  ising2dConfigSchema,
  type LearnedFrontEnd,
  type RunDirOptions,
  runChain,
  runFourier,
  runIsing2d,
} from "@physml/dual-representations";
import { createProgress } from "@physml/runs";
import type { z } from "zod";
import type { CommandBody, CommandIO, RawFlags } from "../command.js";
import { failedCheck } from "../failed-check.js";
import { boolFlag, emit, stringFlag } from "../flags.js";
import { defaultRunDir, runFlags } from "../run-flags.js";
import { configFlags, flagError, flagSpecs, inputFromFlags } from "../schema-flags.js";

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/** The closing line(s) of the text: what passed, or each failed check on its own line. */
const checksText = (v: DualrepValidation, passed: string) =>
  v.passed ? passed : `CHECKS FAILED:\n  ${v.failures.join("\n  ")}`;

function chainHuman(r: ChainRunResult & { out: string }): string {
  const rows = r.rows.map((p) => {
    const a = p.autoencoder;
    const corr =
      a?.correlationError === undefined
        ? ""
        : `, ${a.correlationFunctions} error ${a.correlationError.toFixed(3)}${a.correlationReadout === "affine" ? " (affine readout)" : ""}${a.correlationWeight > 0 ? ` at weight ${a.correlationWeight}` : " (not in the loss)"}`;
    const enc = a?.encoder.kind === "conv" ? ` conv w=${a.encoder.kernel} c=${a.encoder.channels}` : "";
    // Results written before --decoder existed have no decoder field.
    const dec =
      a?.decoder?.kind === "conv" ? ` conv decoder w=${a.decoder.kernel} c=${a.decoder.channels}` : "";
    // Results written before the selected run existed have no `selected`.
    const sel =
      a?.selected && a.runs > 1
        ? `; run ${a.selected.run + 1} of ${a.runs} by ${a.selected.rule}: ${pct(a.selected.bestTest)}, σ overlap ${a.selected.sigmaOverlap.toFixed(2)}`
        : "";
    const ae = a
      ? `  autoencoder${enc}${dec} ${pct(a.bestTestMean)} ± ${pct(a.bestTestStdError)} (σ overlap ${a.sigmaOverlap.toFixed(2)}, s overlap ${a.spinOverlap.toFixed(2)}${corr}${sel})`
      : "";
    const stable =
      p.data.stableStates !== undefined
        ? `${p.data.stableStates}/${p.data.totalStates} stable`
        : "quench data";
    return `  n=${String(p.n).padEnd(3)} original ${pct(p.original.bestTest).padStart(7)}  dual ${pct(p.dual.bestTest).padStart(7)}  (${stable}, ${p.data.train}/${p.data.test} train/test; ln Z dual ${p.exact.lnZDual.toFixed(9)} vs transfer ${p.exact.lnZTransfer.toFixed(9)})${ae}`;
  });
  return [
    `n-spin chain, ${r.sites} sites: best test accuracy (chance 50 %)`,
    ...rows,
    checksText(r.validation, "exact checks passed"),
    `${r.seconds.toFixed(1)} s; run directory ${r.out} (report.html)`,
  ].join("\n");
}

/** One line per DFT front end of a pair (`--dft-front-end`), under the pair's line. */
function dftLines(d: DftFrontEnds): string[] {
  const learned = (name: string, x: LearnedFrontEnd) =>
    `      ${name.padEnd(34)} ${pct(x.accuracies.bestTest).padStart(7)}  (final train ${pct(x.accuracies.finalTrain)}; Fourier concentration ${x.fourierConcentration.toFixed(3)}, bond-weight spread ${x.bondWeightSpread.toFixed(3)}, orthogonality residual ${x.orthogonalityResidual.toFixed(3)})`;
  return [
    `      ${"per-coordinate on the 2D DFT".padEnd(34)} ${pct(d.handed.bestTest).padStart(7)}`,
    learned(`learned W (${d.map.kind})`, d.learned),
    learned(`learned W (${d.map.kind}) + separation`, d.learnedWithSeparation),
  ];
}

function ising2dHuman(r: Ising2dRunResult & { out: string }): string {
  const rows = r.rows.flatMap((p) =>
    (["original", "dual"] as const).flatMap((k) => {
      const q = p[k];
      return [
        `  T0=${p.T0} ${k.padEnd(8)} T ${q.temperatures.map((t) => t.T.toFixed(4)).join(" vs ")}: network ${pct(q.network.bestTest)} (on |ŝ(k)|²: ${pct(q.structureFactor.bestTest)}), energy threshold (Bayes) ${pct(q.energyThreshold)}`,
        ...(q.dft ? dftLines(q.dft) : []),
      ];
    }),
  );
  return [
    `2D Ising temperature pairs, L = ${r.L}, ΔT = ${r.deltaT}: best test accuracy (chance 50 %)`,
    ...rows,
    checksText(r.validation, "energy checks against Kaufman passed"),
    `${r.seconds.toFixed(1)} s; run directory ${r.out} (report.html)`,
  ].join("\n");
}

function fourierHuman(r: FourierRunResult & { out: string }): string {
  const m = (name: string, x: FourierRunResult["learned"]) =>
    `  ${name.padEnd(24)} ${pct(x.accuracies.bestTest)}  band alignment ${x.bandAlignment.toFixed(3)}, Fourier concentration ${x.fourierConcentration.toFixed(3)}`;
  const what = r.task === "band" ? "band classification of noisy waves" : "a noisy wave against pure noise";
  const dense = r.dense
    ? [
        `  ${"dense, position".padEnd(24)} ${pct(r.dense.position.bestTest)}`,
        `  ${"dense, DFT".padEnd(24)} ${pct(r.dense.fourier.bestTest)}`,
      ]
    : [];
  const shared = r.shared
    ? [
        `  shared classifier (one network g on every ${r.shared.input}, ${r.shared.parameters} weights):`,
        `  ${"shared, position".padEnd(24)} ${pct(r.shared.position.bestTest)}`,
        `  ${"shared, DFT".padEnd(24)} ${pct(r.shared.fourier.bestTest)}`,
        m("shared, learned W", r.shared.learned),
        m("shared, learned W + sep.", r.shared.learnedWithSeparation),
        ...(r.shared.learnedPaired
          ? [
              `${m("shared, W + sep., paired", r.shared.learnedPaired)}; pairs on one frequency ${r.shared.learnedPaired.headPairsOnOneFrequencyBefore} → ${r.shared.learnedPaired.headPairsOnOneFrequency} of ${r.length / 2} (reordered after ${r.shared.learnedPaired.pairedAtEpoch} epochs)`,
            ]
          : []),
      ]
    : [];
  return [
    `${what}, N = ${r.length}: best test accuracy (chance 50 %)`,
    `  ${"position".padEnd(24)} ${pct(r.position.bestTest)}  band alignment ${r.bandAlignmentPosition.toFixed(3)}`,
    `  ${"DFT (handed)".padEnd(24)} ${pct(r.fourier.bestTest)}  band alignment ${r.bandAlignmentDft.toFixed(3)}`,
    m("learned W", r.learned),
    m("learned W + separation", r.learnedWithSeparation),
    ...dense,
    ...shared,
    checksText(r.validation, "checks passed"),
    `${r.seconds.toFixed(1)} s; run directory ${r.out} (report.html)`,
  ].join("\n");
}

function progress(io: CommandIO, flags: RawFlags) {
  const bar = createProgress({ quiet: boolFlag(flags, "quiet"), write: io.stderr });
  return {
    bar,
    onEpoch: (tag: string, m: { epoch: number; loss: number; testAccuracy: number }) =>
      bar.log(
        `${tag} epoch ${m.epoch}: loss ${m.loss.toFixed(4)}, test accuracy ${m.testAccuracy.toFixed(4)}`,
      ),
  };
}

function command<R extends { validation: DualrepValidation; out: string }>(
  kind: string,
  schema: z.ZodType,
  examples: string[],
  run: (input: unknown, opts: RunDirOptions) => Promise<R>,
  human: (r: R) => string,
): CommandBody {
  const flags = configFlags(schema);
  return {
    options: schema,
    flags: {
      ...flagSpecs(flags),
      ...runFlags(`dualrep-${kind}`),
      resume: {
        type: "boolean",
        description:
          "continue the unfinished run in --out from its last checkpoint (after every finished training, and every 30 s inside one), or report a finished one (flags given must match its config)",
      },
    },
    examples,
    async run(raw, io) {
      const out = stringFlag(raw, "out") ?? defaultRunDir(`dualrep-${kind}`);
      const p = progress(io, raw);
      let r: R;
      try {
        const resume = boolFlag(raw, "resume");
        r = await run(inputFromFlags(flags, raw, {}, !resume), {
          out,
          force: boolFlag(raw, "force"),
          resume,
          onEpoch: p.onEpoch,
          onResume: (s) => p.bar.log(s),
        });
      } catch (e) {
        throw flagError(e, flags, raw);
      } finally {
        p.bar.stop();
      }
      emit(io, boolFlag(raw, "json"), r, () => human(r));
      return r.validation.passed ? 0 : failedCheck(io, `dualrep ${kind}`, r.validation.failures);
    },
  };
}

export const chainCommand = command(
  "chain",
  chainConfigSchema,
  [
    "physml dualrep chain --n 4,8,12 --json",
    "physml dualrep chain --sites 18 --n 4,6,8,10,12 --autoencoder-runs 10",
    "physml dualrep chain --n 4,8 --autoencoder-runs 3 --correlation-weight 100   # latent must reproduce the energy",
    "physml dualrep chain --n 4,6,8 --autoencoder-runs 3 --encoder conv --correlation-weight 100 --lr 0.01 --epochs 40   # translation-equivariant encoder (window n) with the energy term: the latent becomes σ",
    "physml dualrep chain --sites 50 --n 6 --per-class 2048",
  ],
  runChain,
  chainHuman,
);

export const ising2dCommand = command(
  "ising2d",
  ising2dConfigSchema,
  ["physml dualrep ising2d --L 16 --temperatures 1.25,1.5 --json"],
  runIsing2d,
  ising2dHuman,
);

export const fourierCommand = command(
  "fourier",
  fourierConfigSchema,
  ["physml dualrep fourier --length 32 --noise 1 --json"],
  runFourier,
  fourierHuman,
);
