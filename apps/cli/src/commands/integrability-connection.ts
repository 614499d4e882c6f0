// `physml integrability connection --system sine-gordon|heisenberg|kdv`: learn a Lax connection
// (A_x, A_t) of a 1+1D field theory by zero curvature, check it on held-out trajectories (curvature
// residual, conservation of tr P exp ∮A_x dx, with the known connection's monodromy on the same
// trajectories as the reference) and say plainly whether it passed (exit 3 when not), like `kdv`.

import {
  CONNECTION_ADDED_FIELDS,
  CONNECTION_TARGETS,
  connectionInputs,
  connectionOptionsSchema,
  connectionParameters,
  fieldConnectionSetup,
  learnLaxConnection,
  STALL_LOSS,
  withConnectionTraining,
} from "@physml/integrability";
import { reportHtml } from "@physml/runs";
import type { CommandBody } from "../command.js";
import { failedCheck } from "../failed-check.js";
import { boolFlag, emit } from "../flags.js";
import { configFlags, flagSpecs } from "../schema-flags.js";
import { secondsByStage } from "../seconds.js";
import {
  connectionReport,
  connectionVerdict,
  monodromySeries,
  networkShape,
} from "./integrability-connection-report.js";
import { type ConnectionResultBase, cartanLine } from "./integrability-connection-result.js";
import { connectionRunFlags, connectionTraining, writeTraces } from "./integrability-connection-run.js";
import {
  type SpectralConnectionCliResult,
  spectralConnectionRun,
  spectralConnectionText,
} from "./integrability-connection-spectral.js";
import { type Fit, fitsOf, formulaRows } from "./integrability-formulas.js";
import { fmt, inCommandRun, lossValues, progress } from "./integrability-run.js";

const CONNECTION_FLAGS = configFlags(connectionOptionsSchema);

/** The result's shape: the keys of `lax --json` (laxResidual, conservedVariation, formulas, loss) and more. */
interface ConnectionResult extends ConnectionResultBase {
  monodromy: ConnectionResultBase["monodromy"] & {
    reference: { connection: string; parameter: string; value: number; variation: number[] };
  };
  formulas: { Ax: Fit[][]; At: Fit[][] };
}

const trajectoryRows = (r: ConnectionResult) =>
  r.residualByTrajectory.map((t, i) => [
    String(i),
    t.kind,
    fmt(t.residual),
    fmt(r.conservedVariation[i]),
    fmt(r.monodromy.quadratureError[i]),
    fmt(r.monodromy.reference.variation[i]),
    r.monodromy.checked.includes(i) ? "yes" : "no (only translates: any A_x keeps its trace)",
  ]);
const TRAJECTORY_HEAD = [
  "held-out trajectory",
  "initial condition",
  "curvature residual",
  "monodromy variation",
  "its quadrature error",
  "known connection's variation",
  "checked",
];

function connectionText(r: ConnectionResult): string {
  return [
    `${r.system} connection (${r.size}×${r.size}${r.antisymmetric ? " antisymmetric" : ""}, ${networkShape(r.hidden)}, lift ${r.lift}, ${r.parameters} parameters): training loss ${fmt(r.loss.total)}, 𝓛_ZC ${fmt(r.loss.lax)}`,
    ...(r.attemptLosses.length > 1
      ? [
          `attempts (training 𝓛_ZC): ${r.attemptLosses.map(fmt).join(", ")}; attempt ${r.attempt} chosen (a stall is ≥ ${STALL_LOSS})`,
        ]
      : []),
    `held-out |∂_t A_x − ∂_x A_t + [A_x, A_t]| / |∂_t A_x| = ${fmt(r.laxResidual)} (target < ${r.validation.targets.residual})`,
    cartanLine(r.cartanRatio, r.validation.targets.cartanRatio),
    `per held-out trajectory: curvature residual, relative variation of tr P exp ∮A_x dx over time, the same for ${r.monodromy.reference.connection}`,
    ...trajectoryRows(r).map(
      ([i, k, res, v, q, ref, c]) =>
        `  ${i} ${k.padEnd(14)} ${res}  ${v} (quadrature ≤ ${q})  (known ${ref})${c === "yes" ? "" : "  (not checked)"}`,
    ),
    `verdict: ${r.verdict}`,
    "A_x entries (traceless part) on the readout dictionary (degree ≤ 2 in the features):",
    ...formulaRows("A_x", r.formulas.Ax).map(([e, f, r2]) => `  ${e} ${f}  (R² ${r2})`),
    "A_t entries:",
    ...formulaRows("A_t", r.formulas.At).map(([e, f, r2]) => `  ${e} ${f}  (R² ${r2})`),
  ].join("\n");
}

export const connectionCommand: CommandBody = {
  options: connectionOptionsSchema,
  flags: {
    ...flagSpecs(CONNECTION_FLAGS),
    ...connectionRunFlags("connection"),
  },
  examples: [
    "physml integrability connection --system sine-gordon --json",
    "physml integrability connection --system heisenberg --samples 256",
    "physml integrability connection --system sine-gordon --hidden 8 --polish lbfgs --polish-iter 200",
    "physml integrability connection --system kdv --spectral-range -0.5,0.5 --samples 1024 --steps 1000",
  ],
  async run(flags, io) {
    const say = progress(io, flags);
    const result = await inCommandRun<
      typeof connectionOptionsSchema,
      ConnectionResult | SpectralConnectionCliResult
    >(
      "connection",
      connectionOptionsSchema,
      CONNECTION_FLAGS,
      flags,
      io,
      async (given, run) => {
        const o = withConnectionTraining(given);
        const { spectralRange } = o;
        if (spectralRange) return spectralConnectionRun({ ...o, spectralRange }, run, say);
        const setup = fieldConnectionSetup(o.system);
        const [size, hidden, lift] = [o.size ?? setup.size, o.hidden ?? setup.hidden, o.lift ?? setup.lift];
        const training = connectionTraining(run, say, {
          checkpoint: { system: o.system, size, lift, traceless: true },
        });
        // Heisenberg's data on a fine grid takes minutes (its step shrinks as 1/N²) before step 0
        say(`integrating the training and held-out trajectories of ${o.system}…`);
        const r = learnLaxConnection(o.system, { ...o, ...training });
        const m = r.monodromy;
        const v = r.validation;
        writeTraces(run, "monodromy-traces", m.traces, r.heldOut.times);
        writeTraces(run, "reference-traces", r.reference.traces, r.heldOut.times);
        const result: ConnectionResult = {
          system: o.system,
          size,
          hidden,
          lift,
          antisymmetric: setup.antisymmetric,
          parameters: connectionParameters({ inputs: connectionInputs(o.system, o.lift), size, hidden }),
          loss: lossValues(r.final),
          attempt: r.attempt,
          attemptLosses: r.attemptLosses,
          laxResidual: r.residual,
          residualByTrajectory: r.residualByTrajectory,
          cartanRatio: r.cartanRatio,
          conservedVariation: m.variation,
          monodromy: {
            kinds: r.heldOut.kinds,
            checked: v.checked,
            variationVsAcross: m.variationVsAcross,
            quadratureError: m.quadratureError,
            reference: {
              connection: `${setup.knownName} at ${r.reference.parameter} = ${r.reference.value.toPrecision(4)}, its parameter read off the learned one`,
              parameter: r.reference.parameter,
              value: r.reference.value,
              variation: r.reference.variation,
            },
          },
          formulas: { Ax: fitsOf(r.formulas.Ax), At: fitsOf(r.formulas.At) },
          validation: { passed: v.passed, failures: v.failures, targets: CONNECTION_TARGETS },
          verdict: connectionVerdict(o.system, v.passed, v.failures),
          ...secondsByStage(r.seconds),
        };
        const report = await reportHtml(
          connectionReport({
            title: `integrability connection: a Lax connection of ${o.system} by zero curvature`,
            verdict: result.verdict,
            residual: r.residual,
            model: `features ${setup.system.featureNames.join(", ")} (lift ${lift}), ${size}×${size}${setup.antisymmetric ? " antisymmetric" : ""}, ${networkShape(hidden)}, ${result.parameters} parameters; traceless part evaluated`,
            training: o,
            trainSeconds: r.seconds.train,
            history: r.history,
            monodromy: {
              title: "monodromy trace along the held-out trajectories (learned, and the known connection)",
              series: [
                ...monodromySeries(m.traces, r.heldOut.times, r.heldOut.kinds),
                ...monodromySeries(r.reference.traces, r.heldOut.times, r.heldOut.kinds, " (known)"),
              ],
            },
            trajectories: { head: TRAJECTORY_HEAD, rows: trajectoryRows(result) },
            formulas: result.formulas,
          }),
        );
        return { result, report };
      },
      // a family resumed from a run written before --start existed started from its random draw
      { added: CONNECTION_ADDED_FIELDS },
    );
    emit(io, boolFlag(flags, "json"), result, () =>
      "spectral" in result ? spectralConnectionText(result) : connectionText(result),
    );
    if (result.validation.passed) return 0;
    return failedCheck(io, `the learned ${result.system} connection`, result.validation.failures);
  },
};
