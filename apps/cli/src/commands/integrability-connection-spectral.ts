// `physml integrability connection --system kdv --spectral-range a,b`: the connection family A(λ)
// learned with λ as an input, checked at held-out λ (residual, conserved monodromy trace, the AKNS
// connection at the learned λ̂(λ) as the reference). The keys of the fixed-λ result hold the worst
// value over the held-out λ; `spectral.heldOut` has them per λ.

import {
  CONNECTION_TARGETS,
  type ConnectionOptionsInput,
  fieldConnectionSetup,
  learnKdvSpectralConnection,
  SPECTRAL_SLOPE_FLOOR,
  type SpectralConnectionResult,
  type withConnectionTraining,
} from "@physml/integrability";
import { type Run, reportHtml } from "@physml/runs";
import { secondsByStage } from "../seconds.js";
import { connectionReport, connectionVerdict, monodromySeries } from "./integrability-connection-report.js";
import type { ConnectionResultBase } from "./integrability-connection-result.js";
import { connectionTraining } from "./integrability-connection-run.js";
import { fmt, lossValues } from "./integrability-run.js";

/** One held-out λ of the result. */
interface SpectralHeldOutResult {
  lambda: number;
  /** The learned family's λ̂ = ½ tr Ã_x² on the vacuum at this λ. */
  lambdaHat: number;
  /** dλ̂/dλ at this λ. */
  slope: number;
  laxResidual: number;
  residualByTrajectory: { kind: string; residual: number }[];
  conservedVariation: number[];
  quadratureError: number[];
  variationVsAcross: number;
  /** Largest |tr Ψ − tr Ψ_AKNS(λ̂)| over the checked snapshots, relative to the AKNS trace's size. */
  traceMismatch: number;
  reference: { connection: string; parameter: string; value: number; variation: number[] };
  passed: boolean;
  failures: string[];
}

/** The result: the fixed-λ keys (worst over the held-out λ) and the per-λ breakdown under `spectral`. */
export interface SpectralConnectionCliResult extends ConnectionResultBase {
  spectral: {
    range: [number, number];
    degrees: { Ax: number; At: number };
    /** κ_λ: |dλ̂/dλ| the training asks for at least. */
    slopeFloor: number;
    heldOut: SpectralHeldOutResult[];
  };
}

const worst = (rows: readonly number[][]) => rows[0].map((_, i) => Math.max(...rows.map((r) => r[i])));

function resultOf(
  o: ConnectionOptionsInput,
  r: SpectralConnectionResult,
  range: [number, number],
): SpectralConnectionCliResult {
  const setup = fieldConnectionSetup("kdv");
  const heldOut = r.heldOut.map(
    (h): SpectralHeldOutResult => ({
      lambda: h.lambda,
      lambdaHat: h.lambdaHat,
      slope: h.slope,
      laxResidual: h.residual,
      residualByTrajectory: h.residualByTrajectory,
      conservedVariation: h.monodromy.variation,
      quadratureError: h.monodromy.quadratureError,
      variationVsAcross: h.monodromy.variationVsAcross,
      traceMismatch: h.traceMismatch,
      reference: {
        connection: `${setup.knownName} at λ = λ̂(${h.lambda.toPrecision(3)}) = ${h.lambdaHat.toPrecision(4)}`,
        parameter: setup.parameter,
        value: h.lambdaHat,
        variation: h.reference.variation,
      },
      passed: h.validation.passed,
      failures: h.validation.failures,
    }),
  );
  const { model } = r;
  const inputs = model.inputs;
  return {
    system: o.system,
    size: model.size,
    hidden: [],
    lift: setup.lift,
    antisymmetric: false,
    parameters: (model.degreeX + model.degreeT + 2) * (inputs + 1) * model.size * model.size,
    loss: lossValues(r.final),
    attempt: r.attempt,
    attemptLosses: r.attemptLosses,
    laxResidual: Math.max(...heldOut.map((h) => h.laxResidual)),
    residualByTrajectory: r.trajectories.kinds.map((kind, b) => ({
      kind,
      residual: Math.max(...heldOut.map((h) => h.residualByTrajectory[b].residual)),
    })),
    conservedVariation: worst(heldOut.map((h) => h.conservedVariation)),
    monodromy: {
      kinds: r.trajectories.kinds,
      checked: r.validation.checked,
      variationVsAcross: Math.max(...heldOut.map((h) => h.variationVsAcross)),
      quadratureError: worst(heldOut.map((h) => h.quadratureError)),
    },
    spectral: {
      range,
      degrees: { Ax: model.degreeX, At: model.degreeT },
      slopeFloor: SPECTRAL_SLOPE_FLOOR,
      heldOut,
    },
    validation: { passed: r.validation.passed, failures: r.validation.failures, targets: CONNECTION_TARGETS },
    verdict: connectionVerdict(`${o.system} (the family A(λ))`, r.validation.passed, r.validation.failures),
    ...secondsByStage(r.seconds),
  };
}

/** The result as text. */
export function spectralConnectionText(r: SpectralConnectionCliResult): string {
  const s = r.spectral;
  return [
    `${r.system} connection family A(λ), λ ∈ [${s.range.join(", ")}] (2×2, affine on lift ${r.lift}, A_x degree ${s.degrees.Ax} and A_t degree ${s.degrees.At} in λ, ${r.parameters} parameters): training loss ${fmt(r.loss.total)}, 𝓛_ZC ${fmt(r.loss.lax)}`,
    ...(r.attemptLosses.length > 1
      ? [`attempts (training 𝓛_ZC): ${r.attemptLosses.map(fmt).join(", ")}; attempt ${r.attempt} chosen`]
      : []),
    `per held-out λ: λ̂(λ) (its slope, floor ${s.slopeFloor}), held-out residual (target < ${r.validation.targets.residual}), the worst checked monodromy variation (target < ${r.validation.targets.monodromyVariation}) and AKNS's at λ̂, the trace's largest relative distance from AKNS's`,
    ...s.heldOut.map((h) => {
      const v = Math.max(...r.monodromy.checked.map((i) => h.conservedVariation[i]));
      const ref = Math.max(...r.monodromy.checked.map((i) => h.reference.variation[i]));
      return `  λ ${h.lambda.toFixed(3).padStart(7)}: λ̂ ${h.lambdaHat.toFixed(4).padStart(8)} (slope ${h.slope.toFixed(3)})  residual ${fmt(h.laxResidual)}  variation ${fmt(v)} (AKNS ${fmt(ref)})  trace vs AKNS ${fmt(h.traceMismatch)}  ${h.passed ? "passed" : "FAILED"}`;
    }),
    `verdict: ${r.verdict}`,
  ].join("\n");
}

/** Trains and checks the family in `run` (its checkpoints carry the range, so a resume keeps it). */
export async function spectralConnectionRun(
  o: ReturnType<typeof withConnectionTraining> & { spectralRange: number[] },
  run: Run<unknown>,
  say: (s: string) => void,
): Promise<{ result: SpectralConnectionCliResult; report: string }> {
  const range: [number, number] = [o.spectralRange[0], o.spectralRange[1]];
  const setup = fieldConnectionSetup("kdv");
  const training = connectionTraining(run, say, {
    checkpoint: {
      system: o.system,
      size: setup.size,
      lift: setup.lift,
      traceless: true,
      spectralRange: range,
    },
  });
  say(`integrating the training and held-out trajectories of ${o.system}…`);
  const r = learnKdvSpectralConnection({
    range,
    samples: o.samples,
    adamSteps: o.adamSteps,
    polishIter: o.polishIter,
    polish: o.polish,
    lr: o.lr,
    restarts: o.restarts,
    data: o.data,
    seed: o.seed,
    ...training,
  });
  const traces = (pick: (h: SpectralConnectionResult["heldOut"][number]) => number[][]) =>
    Float64Array.from(r.heldOut.flatMap((h) => pick(h).flat()));
  const shape = [r.heldOut.length, r.trajectories.kinds.length, r.trajectories.times.length];
  run.writeArray(
    "monodromy-traces",
    traces((h) => h.monodromy.traces),
    shape,
  );
  run.writeArray(
    "reference-traces",
    traces((h) => h.reference.traces),
    shape,
  );
  const result = resultOf(o, r, range);
  const report = await reportHtml(
    connectionReport({
      title: `integrability connection: the family A(λ) of ${o.system}, λ ∈ [${range.join(", ")}]`,
      verdict: result.verdict,
      residual: result.laxResidual,
      model: `features ${setup.system.featureNames.join(", ")} (lift ${setup.lift}), 2×2, A_x degree ${result.spectral.degrees.Ax} and A_t degree ${result.spectral.degrees.At} in λ, ${result.parameters} parameters; traceless part evaluated`,
      training: o,
      trainSeconds: r.seconds.train,
      history: r.history,
      monodromy: {
        title: "monodromy trace along the checked held-out trajectories at each held-out λ",
        series: r.heldOut.flatMap((h) =>
          monodromySeries(
            h.monodromy.traces.filter((_, b) => result.monodromy.checked.includes(b)),
            r.trajectories.times,
            result.monodromy.checked.map((b) => r.trajectories.kinds[b]),
            ` (λ = ${h.lambda.toPrecision(3)})`,
          ),
        ),
      },
      trajectories: {
        head: [
          "held-out λ",
          "λ̂(λ)",
          "held-out residual",
          "worst checked variation",
          "AKNS's at λ̂",
          "trace vs AKNS",
          "passed",
        ],
        rows: result.spectral.heldOut.map((h) => [
          h.lambda.toPrecision(3),
          h.lambdaHat.toPrecision(4),
          fmt(h.laxResidual),
          fmt(Math.max(...result.monodromy.checked.map((i) => h.conservedVariation[i]))),
          fmt(Math.max(...result.monodromy.checked.map((i) => h.reference.variation[i]))),
          fmt(h.traceMismatch),
          h.passed ? "yes" : "no",
        ]),
      },
      formulas: { Ax: [], At: [] },
    }),
  );
  return { result, report };
}
