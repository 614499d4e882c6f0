// `physml integrability kdv`: learn a Lax connection (A_x, A_t) of KdV by zero curvature, check it
// on held-out trajectories (curvature residual, conservation of tr P exp ∮A_x dx) and say plainly
// whether it passed (exit 3 when not).

import {
  CONNECTION_TARGETS,
  connectionCheckpointStep,
  connectionParameters,
  FIELD_CONNECTION_WEIGHTS,
  kdvModel,
  kdvOptionsSchema,
  learnKdvConnection,
  validateConnection,
} from "@physml/integrability";
import { plural } from "@physml/lattice-core";
import { reportHtml, xyChart } from "@physml/runs";
import type { CommandBody } from "../command.js";
import { failedCheck } from "../failed-check.js";
import { boolFlag, emit } from "../flags.js";
import { configFlags, flagSpecs } from "../schema-flags.js";
import { secondsByStage } from "../seconds.js";
import {
  connectionVerdict,
  monodromySeries,
  networkShape,
  zeroCurvatureLossChart,
} from "./integrability-connection-report.js";
import { type Fit, fitsOf, formulaRows } from "./integrability-formulas.js";
import { KDV_RENAMED_FIELDS } from "./integrability-renamed-fields.js";
import {
  checkpointedRunFlags,
  fmt,
  inCommandRun,
  lossValues,
  progress,
  resumeConnection,
} from "./integrability-run.js";

const KDV_FLAGS = configFlags(kdvOptionsSchema);

type Num = number | string;

/** The result's shape (numbers may come back as text when non-finite: see finiteOrText). */
interface KdvResult {
  parameters: number;
  loss: { total: number; lax: number };
  /** Held-out curvature residual (the key `lax` and `connection` print it under). */
  laxResidual: number;
  residualByTrajectory: { kind: string; residual: number }[];
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
    ...checkpointedRunFlags("kdv", "every 50 Adam steps and after the polish"),
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
        const resume = resumeConnection(run, say);
        const model = kdvModel(o);
        const r = learnKdvConnection({
          ...o,
          hidden: model.hidden,
          // the sine-Gordon and Heisenberg learners' weights and traceless evaluation: KdV's
          // conservation laws are flat abelian connections too (𝓛_NA), and a flat trace is one of them
          weights: FIELD_CONNECTION_WEIGHTS,
          traceless: true,
          ...(resume ? { resume } : {}),
          onMetrics: (m) => {
            run.appendMetric(m);
            say(`step ${m.step}: loss ${fmt(m.total)} (𝓛_ZC ${fmt(m.lax)})`);
          },
          // the last one, after the polish, is the learned state
          onCheckpoint: (cp) =>
            run.saveCheckpoint(connectionCheckpointStep(cp), { ...cp, order: o.order, size: o.size }),
        });
        const m = r.monodromy;
        const kinds = r.heldOut.kinds;
        const v = validateConnection({
          residual: r.residual,
          variation: m.variation,
          kinds,
          quadratureError: m.quadratureError,
        });
        run.writeArray("monodromy-traces", Float64Array.from(m.traces.flat()), [
          m.traces.length,
          r.heldOut.times.length,
        ]);
        const result: KdvResult & ReturnType<typeof secondsByStage<"train" | "evaluate">> = {
          parameters: connectionParameters({ ...model, size: o.size }),
          loss: lossValues(r.final),
          laxResidual: r.residual,
          residualByTrajectory: r.residualByTrajectory,
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
        const report = await reportHtml({
          title: "integrability kdv: a Lax connection of KdV by zero curvature",
          summary: [
            ["verdict", result.verdict],
            ["held-out curvature residual", `${fmt(r.residual)} (target < ${CONNECTION_TARGETS.residual})`],
            [
              "monodromy variation target",
              `< ${CONNECTION_TARGETS.monodromyVariation} on every checked trajectory`,
            ],
            [
              "model",
              `features φ … ∂ₓ^${o.order}φ${o.lift === "quadratic" ? " and their products" : ""}, ${o.size}×${o.size}, ${networkShape(model.hidden)}, ${result.parameters} parameters`,
            ],
            [
              "training",
              `${plural(o.samples, "point")}, ${plural(o.adamSteps, "Adam step")}, ${plural(o.polishIter, `${o.polish} iteration`)}; ${r.seconds.train.toFixed(0)} s`,
            ],
          ],
          charts: [
            zeroCurvatureLossChart(r.history),
            xyChart({
              title: "monodromy trace along the held-out trajectories",
              xTitle: "time t",
              yTitle: "tr Ψ(t) / tr Ψ(0) − 1",
              series: monodromySeries(m.traces, r.heldOut.times, kinds),
            }),
          ],
          tables: [
            { head: TRAJECTORY_HEAD, rows: trajectoryRows(result) },
            {
              head: ["entry", "formula (degree ≤ 2 in the features)", "R²"],
              rows: [...formulaRows("A_x", result.formulas.Ax), ...formulaRows("A_t", result.formulas.At)],
            },
          ],
        });
        return { result, report };
      },
      KDV_RENAMED_FIELDS,
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
