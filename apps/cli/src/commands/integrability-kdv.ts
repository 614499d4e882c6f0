// `physml integrability kdv`: learn a Lax connection (A_x, A_t) of KdV by zero curvature, check it
// on held-out trajectories (curvature residual, conservation of tr P exp ∮A_x dx) and say plainly
// whether it passed (exit 3 when not).

import {
  CONNECTION_TARGETS,
  connectionParameters,
  KDV_ADDED_FIELDS,
  KDV_LOSS_TERMS,
  kdvModel,
  kdvOptionsSchema,
  learnKdvConnection,
  validateConnection,
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
import { cartanLine } from "./integrability-connection-result.js";
import { connectionRunFlags, connectionTraining, writeTraces } from "./integrability-connection-run.js";
import { type Fit, fitsOf, formulaRows } from "./integrability-formulas.js";
import { KDV_RENAMED_FIELDS } from "./integrability-renamed-fields.js";
import { fmt, inCommandRun, lossValues, progress } from "./integrability-run.js";

const KDV_FLAGS = configFlags(kdvOptionsSchema);

type Num = number | string;

/** The result's shape (numbers may come back as text when non-finite: see finiteOrText). */
interface KdvResult {
  parameters: number;
  loss: { total: number; lax: number };
  /** Held-out curvature residual (the key `lax` and `connection` print it under). */
  laxResidual: number;
  residualByTrajectory: { kind: string; residual: number }[];
  /** Cartan's criterion on the held-out A_x values (0: solvable, abelian or triangular). */
  cartanRatio: number;
  monodromy: {
    kinds: string[];
    variation: Num[];
    variationVsAcross: Num;
    /** Per held-out trajectory, the quadrature's relative error (on the variation's scale). */
    quadratureError: Num[];
    checked: number[];
  };
  formulas: { Ax: Fit[][]; At: Fit[][] };
  validation: { passed: boolean; failures: string[]; targets: typeof CONNECTION_TARGETS };
  verdict: string;
}

const trajectoryRows = (r: KdvResult) =>
  r.residualByTrajectory.map((t, i) => [
    String(i),
    t.kind,
    fmt(t.residual),
    fmt(r.monodromy.variation[i]),
    fmt(r.monodromy.quadratureError[i]),
    r.monodromy.checked.includes(i) ? "yes" : "no (a lone soliton keeps any trace)",
  ]);
const TRAJECTORY_HEAD = [
  "held-out trajectory",
  "initial condition",
  "curvature residual",
  "monodromy variation",
  "its quadrature error",
  "checked",
];

function kdvText(r: KdvResult): string {
  return [
    `KdV connection (${r.parameters} parameters): training loss ${fmt(r.loss.total)}, 𝓛_ZC ${fmt(r.loss.lax)}`,
    `held-out |∂_t A_x − ∂_x A_t + [A_x, A_t]| / |∂_t A_x| = ${fmt(r.laxResidual)} (target < ${r.validation.targets.residual})`,
    cartanLine(r.cartanRatio, r.validation.targets.cartanRatio),
    "per held-out trajectory: curvature residual, relative variation of tr P exp ∮A_x dx over time",
    ...trajectoryRows(r).map(
      ([i, k, res, v, q, c]) =>
        `  ${i} ${k.padEnd(12)} ${res}  ${v} (quadrature ≤ ${q})${c === "yes" ? "" : "  (not checked)"}`,
    ),
    `verdict: ${r.verdict}`,
    "A_x entries on monomials of degree ≤ 2 in the features:",
    ...formulaRows("A_x", r.formulas.Ax).map(([e, f, r2]) => `  ${e} ${f}  (R² ${r2})`),
  ].join("\n");
}

export const kdvCommand: CommandBody = {
  options: kdvOptionsSchema,
  flags: {
    ...flagSpecs(KDV_FLAGS),
    ...connectionRunFlags("kdv"),
  },
  examples: [
    "physml integrability kdv --json",
    "physml integrability kdv --samples 4096 --out runs/kdv-4096",
    "physml integrability kdv --order 3 --hidden 16,16 --polish lbfgs --polish-iter 100",
  ],
  async run(flags, io) {
    const say = progress(io, flags);
    const result = await inCommandRun(
      "kdv",
      kdvOptionsSchema,
      KDV_FLAGS,
      flags,
      io,
      async (o, run) => {
        const training = connectionTraining(run, say, {
          checkpoint: { order: o.order, size: o.size },
        });
        const model = kdvModel(o);
        const r = learnKdvConnection({
          ...o,
          hidden: model.hidden,
          weights: KDV_LOSS_TERMS[o.lossTerms],
          // the sine-Gordon and Heisenberg learners' traceless evaluation: a flat trace is a
          // conservation law, not a Lax connection
          traceless: true,
          ...training,
        });
        const m = r.monodromy;
        const kinds = r.heldOut.kinds;
        const v = validateConnection({
          residual: r.residual,
          variation: m.variation,
          kinds,
          quadratureError: m.quadratureError,
          cartanRatio: r.cartanRatio,
        });
        writeTraces(run, "monodromy-traces", m.traces, r.heldOut.times);
        const result: KdvResult & ReturnType<typeof secondsByStage<"train" | "evaluate">> = {
          parameters: connectionParameters({ ...model, size: o.size }),
          loss: lossValues(r.final),
          laxResidual: r.residual,
          residualByTrajectory: r.residualByTrajectory,
          cartanRatio: r.cartanRatio,
          monodromy: {
            kinds,
            variation: m.variation,
            variationVsAcross: m.variationVsAcross,
            quadratureError: m.quadratureError,
            checked: v.checked,
          },
          formulas: { Ax: fitsOf(r.formulas.Ax), At: fitsOf(r.formulas.At) },
          validation: { passed: v.passed, failures: v.failures, targets: CONNECTION_TARGETS },
          verdict: connectionVerdict("KdV", v.passed, v.failures),
          ...secondsByStage(r.seconds),
        };
        const report = await reportHtml(
          connectionReport({
            title: "integrability kdv: a Lax connection of KdV by zero curvature",
            verdict: result.verdict,
            residual: r.residual,
            model: `features φ … ∂ₓ^${o.order}φ${o.lift === "quadratic" ? " and their products" : ""}, ${o.size}×${o.size}, ${networkShape(model.hidden)}, ${result.parameters} parameters; loss: ${o.lossTerms === "paper" ? "the paper's four terms" : "the paper's four terms with 𝓛_NA and 𝓛_K"}`,
            training: o,
            trainSeconds: r.seconds.train,
            history: r.history,
            monodromy: {
              title: "monodromy trace along the held-out trajectories",
              series: monodromySeries(m.traces, r.heldOut.times, kinds),
            },
            trajectories: { head: TRAJECTORY_HEAD, rows: trajectoryRows(result) },
            formulas: result.formulas,
          }),
        );
        return { result, report };
      },
      { renamed: KDV_RENAMED_FIELDS, added: KDV_ADDED_FIELDS },
    );
    emit(io, boolFlag(flags, "json"), result, () => kdvText(result));
    if (result.validation.passed) return 0;
    return failedCheck(
      io,
      "the learned KdV connection",
      result.validation.failures,
      "the default model (affine on the features and their products, no hidden layers) contains the AKNS connection",
    );
  },
};
