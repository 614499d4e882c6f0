// `physml integrability connection --system kdv|sine-gordon|heisenberg --spectral-range a,b`: the connection
// family A(λ) (sine-Gordon's A(k)) learned with the spectral parameter as an input, checked at
// held-out values (residual, conserved monodromy trace, the known connection at the learned λ̂(λ)
// as the reference). The keys of the fixed-λ result hold the worst value over the held-out values;
// `spectral.heldOut` has them per value (`lambda`, `lambdaHat` are k and k̂ for sine-Gordon).

import {
  CONNECTION_TARGETS,
  type ConnectionOptionsInput,
  type FixedStartRecord,
  fieldConnectionSetup,
  learnSpectralConnection,
  SPECTRAL_SLOPE_FLOOR,
  type SpectralConnectionResult,
  type SpectralFamilySystemName,
  type SpectralStart,
  spectralFamily,
  type withConnectionTraining,
} from "@physml/integrability";
import { type Run, reportHtml } from "@physml/runs";
import { secondsByStage } from "../seconds.js";
import { connectionReport, connectionVerdict, monodromySeries } from "./integrability-connection-report.js";
import { type ConnectionResultBase, cartanLine } from "./integrability-connection-result.js";
import { connectionTraining } from "./integrability-connection-run.js";
import { fmt, lossValues } from "./integrability-run.js";

/** One held-out λ (sine-Gordon: k) of the result. */
interface SpectralHeldOutResult {
  lambda: number;
  /**
   * The learned family's λ̂ at this λ, a gauge invariant on the vacuum: KdV ½ tr Ã_x², sine-Gordon
   * k̂ = ±2√(½ tr (Ã_x + Ã_t)²), Heisenberg ±√(−½ tr A_x²) with the sign of tr (A_x A_t).
   */
  lambdaHat: number;
  /** dλ̂/dλ at this λ. */
  slope: number;
  laxResidual: number;
  residualByTrajectory: { kind: string; residual: number }[];
  /** Cartan's criterion on the held-out A_x values at this λ (0: solvable). */
  cartanRatio: number;
  conservedVariation: number[];
  quadratureError: number[];
  variationVsAcross: number;
  /** Largest |tr Ψ − tr Ψ_known(λ̂)| over the checked snapshots, relative to the known trace's size. */
  traceMismatch: number;
  reference: { connection: string; parameter: string; value: number; variation: number[] };
  passed: boolean;
  failures: string[];
}

/** The result: the fixed-λ keys (worst over the held-out λ) and the per-λ breakdown under `spectral`. */
export interface SpectralConnectionCliResult extends ConnectionResultBase {
  spectral: {
    /** The spectral parameter's name: λ (KdV, Heisenberg), k (sine-Gordon). */
    parameter: string;
    range: [number, number];
    /** Highest power of the parameter in A_x and A_t. */
    degrees: { Ax: number; At: number };
    /** Lowest power (0 for KdV's polynomials, −1 for sine-Gordon's k⁻¹, 1 for Heisenberg's). */
    lowest: { Ax: number; At: number };
    /** κ_λ: |dλ̂/dλ| the training asks for at least. */
    slopeFloor: number;
    /** Where attempt 0 started: the seeded initialisation (random) or the fixed-λ connection (fixed). */
    start: SpectralStart;
    /** The fixed-λ connection it started from (start fixed only), as its learner reported it. */
    fixed?: FixedStartRecord;
    heldOut: SpectralHeldOutResult[];
  };
}

const worst = (rows: readonly number[][]) => rows[0].map((_, i) => Math.max(...rows.map((r) => r[i])));

function resultOf(
  o: ConnectionOptionsInput,
  r: SpectralConnectionResult,
  range: [number, number],
): SpectralConnectionCliResult {
  const setup = fieldConnectionSetup(r.system);
  const p = spectralFamily(r.system).parameter;
  const heldOut = r.heldOut.map(
    (h): SpectralHeldOutResult => ({
      lambda: h.lambda,
      lambdaHat: h.lambdaHat,
      slope: h.slope,
      laxResidual: h.residual,
      residualByTrajectory: h.residualByTrajectory,
      cartanRatio: h.cartanRatio,
      conservedVariation: h.monodromy.variation,
      quadratureError: h.monodromy.quadratureError,
      variationVsAcross: h.monodromy.variationVsAcross,
      traceMismatch: h.traceMismatch,
      reference: {
        connection: `${setup.knownName} at ${p} = ${p}̂(${h.lambda.toPrecision(3)}) = ${h.lambdaHat.toPrecision(4)}`,
        parameter: setup.parameter,
        value: h.lambdaHat,
        variation: h.reference.variation,
      },
      passed: h.validation.passed,
      failures: h.validation.failures,
    }),
  );
  const { model } = r;
  return {
    system: o.system,
    size: model.size,
    hidden: [],
    lift: setup.lift,
    antisymmetric: model.antisymmetric,
    parameters: model.parameterCount,
    loss: lossValues(r.final),
    attempt: r.attempt,
    attemptLosses: r.attemptLosses,
    laxResidual: Math.max(...heldOut.map((h) => h.laxResidual)),
    residualByTrajectory: r.trajectories.kinds.map((kind, b) => ({
      kind,
      residual: Math.max(...heldOut.map((h) => h.residualByTrajectory[b].residual)),
    })),
    cartanRatio: Math.min(...heldOut.map((h) => h.cartanRatio)),
    conservedVariation: worst(heldOut.map((h) => h.conservedVariation)),
    monodromy: {
      kinds: r.trajectories.kinds,
      checked: r.validation.checked,
      variationVsAcross: Math.max(...heldOut.map((h) => h.variationVsAcross)),
      quadratureError: worst(heldOut.map((h) => h.quadratureError)),
    },
    spectral: {
      parameter: p,
      range,
      degrees: { Ax: model.degreeX, At: model.degreeT },
      lowest: { Ax: model.lowestX, At: model.lowestT },
      slopeFloor: SPECTRAL_SLOPE_FLOOR,
      start: r.fixed ? "fixed" : "random",
      ...(r.fixed ? { fixed: r.fixed } : {}),
      heldOut,
    },
    validation: { passed: r.validation.passed, failures: r.validation.failures, targets: CONNECTION_TARGETS },
    verdict: connectionVerdict(
      `${o.system} (the family A(${p}))`,
      r.validation.passed,
      r.validation.failures,
    ),
    ...secondsByStage(r.seconds),
  };
}

/** The powers of the parameter in a matrix, as text: "degree 2", "power 1" or "powers −1 to 1". */
const powersText = (lowest: number, degree: number) =>
  lowest === 0 ? `degree ${degree}` : lowest === degree ? `power ${degree}` : `powers ${lowest} to ${degree}`;

/** The model class as text: "2×2" or "3×3 antisymmetric". */
const classText = (size: number, antisymmetric: boolean) =>
  `${size}×${size}${antisymmetric ? " antisymmetric" : ""}`;

/** The fixed start's line: the fixed-λ connection the family started from. */
const fixedStartText = (f: FixedStartRecord, p: string) =>
  `started from the fixed-${p} connection (training 𝓛_ZC ${f.attemptLosses.map(fmt).join(", ")}, attempt ${f.attempt} chosen; held-out residual ${fmt(f.residual)}, ${f.passed ? "passed" : "FAILED"}; ${p} = ${f.parameter.toPrecision(4)} read off), placed at ${p} = its ${p}̂ ${f.scale.toPrecision(4)}; the family's training residuals Σr² ${fmt(f.solve.value)} at the start${f.solve.iterations > 0 ? ` (A_t solved in ${f.solve.iterations} iterations)` : ""}`;

/** The result as text. */
export function spectralConnectionText(r: SpectralConnectionCliResult): string {
  const s = r.spectral;
  const p = s.parameter;
  // a spectral result is only made for the systems with a family
  const known = spectralFamily(r.system as SpectralFamilySystemName).knownShort;
  return [
    `${r.system} connection family A(${p}), ${p} ∈ [${s.range.join(", ")}] (${classText(r.size, r.antisymmetric)}, affine on lift ${r.lift}, A_x ${powersText(s.lowest.Ax, s.degrees.Ax)} and A_t ${powersText(s.lowest.At, s.degrees.At)} in ${p}, ${r.parameters} parameters): training loss ${fmt(r.loss.total)}, 𝓛_ZC ${fmt(r.loss.lax)}`,
    ...(s.fixed ? [fixedStartText(s.fixed, p)] : []),
    ...(r.attemptLosses.length > 1
      ? [`attempts (training 𝓛_ZC): ${r.attemptLosses.map(fmt).join(", ")}; attempt ${r.attempt} chosen`]
      : []),
    `per held-out ${p}: ${p}̂(${p}) (its slope, floor ${s.slopeFloor}), held-out residual (target < ${r.validation.targets.residual}), the worst checked monodromy variation (target < ${r.validation.targets.monodromyVariation}) and ${known}'s at ${p}̂, the trace's largest relative distance from ${known}'s`,
    ...s.heldOut.map((h) => {
      const v = Math.max(...r.monodromy.checked.map((i) => h.conservedVariation[i]));
      const ref = Math.max(...r.monodromy.checked.map((i) => h.reference.variation[i]));
      return `  ${p} ${h.lambda.toFixed(3).padStart(7)}: ${p}̂ ${h.lambdaHat.toFixed(4).padStart(8)} (slope ${h.slope.toFixed(3)})  residual ${fmt(h.laxResidual)}  variation ${fmt(v)} (${known} ${fmt(ref)})  trace vs ${known} ${fmt(h.traceMismatch)}  ${h.passed ? "passed" : "FAILED"}`;
    }),
    `${cartanLine(r.cartanRatio, r.validation.targets.cartanRatio)}, the smallest over the held-out ${p}`,
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
  // the options' schema admits a range only for the systems with a family
  const system = o.system as SpectralFamilySystemName;
  const setup = fieldConnectionSetup(system);
  const p = spectralFamily(system).parameter;
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
  // a resumed run takes the fixed stage's record from its checkpoint; from a checkpoint an earlier
  // version wrote (without it) the fixed connection is learned again (it is deterministic)
  if (o.start === "fixed" && !(training.resume && "fixed" in training.resume))
    say(`learning the fixed-${p} connection the family starts from…`);
  const r = learnSpectralConnection(system, {
    range,
    samples: o.samples,
    adamSteps: o.adamSteps,
    polishIter: o.polishIter,
    polish: o.polish,
    lr: o.lr,
    restarts: o.restarts,
    data: o.data,
    seed: o.seed,
    start: o.start,
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
      title: `integrability connection: the family A(${p}) of ${o.system}, ${p} ∈ [${range.join(", ")}]`,
      verdict: result.verdict,
      residual: result.laxResidual,
      model: `features ${setup.system.featureNames.join(", ")} (lift ${setup.lift}), ${classText(result.size, result.antisymmetric)}, A_x ${powersText(result.spectral.lowest.Ax, result.spectral.degrees.Ax)} and A_t ${powersText(result.spectral.lowest.At, result.spectral.degrees.At)} in ${p}, ${result.parameters} parameters; traceless part evaluated`,
      training: o,
      trainSeconds: r.seconds.train,
      history: r.history,
      monodromy: {
        title: `monodromy trace along the checked held-out trajectories at each held-out ${p}`,
        series: r.heldOut.flatMap((h) =>
          monodromySeries(
            h.monodromy.traces.filter((_, b) => result.monodromy.checked.includes(b)),
            r.trajectories.times,
            result.monodromy.checked.map((b) => r.trajectories.kinds[b]),
            ` (${p} = ${h.lambda.toPrecision(3)})`,
          ),
        ),
      },
      trajectories: {
        head: [
          `held-out ${p}`,
          `${p}̂(${p})`,
          "held-out residual",
          "worst checked variation",
          `${spectralFamily(system).knownShort}'s at ${p}̂`,
          `trace vs ${spectralFamily(system).knownShort}`,
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
