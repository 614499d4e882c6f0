// `physml integrability scnn`: the two-body comparison of a baseline MLP, an HNN and a
// symmetry-control network (arXiv 2104.14444), and the readout of the SCNN's cyclic momenta
// against the problem's invariants P_x, P_y, L and H, and the Runge–Lenz vector A.

import {
  compareTwoBody,
  SCNN_ADDED_FIELDS,
  type ScnnRestartReport,
  scnnOptionsSchema,
  TWO_BODY_MODELS,
  type TwoBodyCheckpoint,
  type TwoBodyResult,
} from "@physml/integrability";
import { plural } from "@physml/lattice-core";
import { reportHtml, xyChart } from "@physml/runs";
import type { CommandBody } from "../command.js";
import { failedCheck, verdictLine } from "../failed-check.js";
import { boolFlag, emit } from "../flags.js";
import { configFlags, flagSpecs } from "../schema-flags.js";
import { SCNN_RENAMED_FIELDS } from "./integrability-renamed-fields.js";
import { checkpointedRunFlags, fmt, inCommandRun, progress, resumedCheckpoint } from "./integrability-run.js";

const SCNN_FLAGS = configFlags(scnnOptionsSchema);
/** In the relative frame P₁, P₂ are the total momentum; T moves P₃ onwards. */
const RELATIVE_FIRST_MOVED = 3;
const MODELS = TWO_BODY_MODELS;
/** The comparison's fixed networks (README, "Symmetry-control networks"). */
const FIXED = { hidden: [64, 64] };

const FRAME_TEXT = {
  bodies: "the bodies' coordinates",
  "centre-of-mass": "the centre-of-mass/relative coordinates",
  relative: "the relative coordinates only (centre of mass and total momentum passed through)",
} as const;

const TRANSFORM_TEXT = {
  general: "a general near-identity map",
  point: "a point transformation (cotangent lift; momenta linear in p)",
} as const;

/** What T is and where it starts, as the report's text. */
function transformText(c: {
  transform: keyof typeof TRANSFORM_TEXT;
  // the schema resolves it (its type keeps it optional)
  pointStart?: string;
  generalStart: string;
  pointStartSpread: number;
}): string {
  const spread = c.pointStartSpread > 0 ? ` (spread ${c.pointStartSpread})` : "";
  if (c.transform === "point") return `${TRANSFORM_TEXT.point} from the ${c.pointStart} frame${spread}`;
  if (c.generalStart === "polar") return `a general map from the polar lift${spread}`;
  return TRANSFORM_TEXT.general;
}

const HAMILTONIAN_TEXT = {
  general: "an MLP of the non-cyclic coordinates and the momenta",
  mechanical: "½ Pᵀ M(Q) P + V(Q), mechanical",
} as const;

const INDEPENDENCE_TEXT = {
  determinant: "1 − det G",
  log: "−log(det G + 1e-6)",
  values: "1 − det C, C the correlation matrix of the momenta's values over the batch",
} as const;

type Fit = { formula: string; r2: number };
const fit = (f: Fit): Fit => ({ formula: f.formula, r2: f.r2 });

/**
 * The momenta readout as JSON: per cyclic P_i its fits on the invariants, its variation and its
 * rms cosine with the true flow.
 */
function momentaJson(
  m: TwoBodyResult["scnn"]["momenta"],
  orbitShare: number[],
  flowCosine: number[],
  commutation: number,
  independence: number,
  valueIndependence: number,
  constantMomenta: number[],
) {
  return {
    orbitShare,
    flowCosine,
    commutation,
    independence,
    valueIndependence,
    constantMomenta,
    onInvariants: m.onInvariants.map(fit),
    onInvariantPolynomials: m.onInvariantPolynomials.map(fit),
    withRungeLenz: m.withRungeLenz,
    variation: m.variation,
    meanVariation: m.meanVariation,
    spanR2: m.spanR2,
    rungeLenzSpan: m.rungeLenzSpan,
    lBeyondEnergy: m.lBeyondEnergy,
  };
}

/**
 * The SCNN's draws as JSON: each one's seed, shares of its moved momenta's variance along the
 * training orbits and verdict, whether one passed and which (`chosen`, absent when none did), the
 * draw kept (`kept`: the one that passed, else the best) and why (`keptBecause`), and the verdict
 * in words.
 */
function restartsJson(r: ScnnRestartReport) {
  const smallest = (w: number[]) => Math.min(...w);
  const where = (w: number[]) => `P${RELATIVE_FIRST_MOVED + w.indexOf(smallest(w))}`;
  const share = (v: number) => `${(100 * v).toPrecision(2)}%`;
  const kept = r.draws[r.kept];
  const count = r.draws.length;
  const keptBecause = r.passed ? "passed" : `best of ${count}, none passed`;
  const verdict = r.passed
    ? `SCNN draw ${r.kept} (seed ${kept.seed}) passed: ${where(kept.within)} keeps ${share(smallest(kept.within))} of its variance along the training orbits (threshold ${share(r.threshold)})`
    : `no SCNN draw passed: of ${plural(count, "draw")} the best kept ${share(smallest(kept.within))} of a momentum's variance along the training orbits (draw ${r.kept}, seed ${kept.seed}), above the threshold ${share(r.threshold)}; the momenta reported are that draw's (${keptBecause}), none of them conserved along the training orbits to the threshold`;
  // `chosen` only when a draw passed: the JSON never carries null for a number
  return {
    threshold: r.threshold,
    passed: r.passed,
    ...(r.passed ? { chosen: r.kept } : {}),
    kept: r.kept,
    keptBecause,
    draws: r.draws,
    verdict,
  };
}

type Result = {
  energyMse: Record<(typeof MODELS)[number], number>;
  // absent in results stored by earlier versions
  energyMseByOrbit?: Partial<Record<(typeof MODELS)[number], number[]>>;
  stateMse: Record<(typeof MODELS)[number], number>;
  loss: Record<(typeof MODELS)[number], number>;
  poissonLoss: number;
  momenta: ReturnType<typeof momentaJson>;
  restarts?: ReturnType<typeof restartsJson>;
  // absent in results stored by earlier versions: those are reported without a verdict
  validation?: TwoBodyResult["validation"];
};

// the largest per-orbit energy MSE and the median: a mean led by one orbit shows as max ≫ median
const orbitSpread = (v: number[] | undefined) => {
  if (!v?.length) return "—";
  const sorted = [...v].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return `${fmt(median)} / ${fmt(sorted[sorted.length - 1])}`;
};
const modelRows = (r: Result) =>
  MODELS.map((k) => [
    k,
    fmt(r.energyMse[k]),
    orbitSpread(r.energyMseByOrbit?.[k]),
    fmt(r.stateMse[k]),
    fmt(r.loss[k]),
  ]);
const momentaRows = (m: Result["momenta"]) =>
  m.onInvariants.map((f, i) => [
    `P${i + 1}`,
    f.formula,
    f.r2.toFixed(4),
    m.onInvariantPolynomials[i].r2.toFixed(4),
    m.withRungeLenz[i].toFixed(4),
    `${m.meanVariation[i].toFixed(2)} / ${m.variation[i].toFixed(2)}`,
    fmt(m.flowCosine[i]),
    fmt(m.orbitShare[i]),
  ]);
const MOMENTA_HEAD = [
  "",
  "fit on {1, P_x, P_y, L, H}",
  "R²",
  "R², degree ≤ 2 in (P_x, P_y, L, H)",
  "R², degree ≤ 2 in (P_x, P_y, L, H, A_x, A_y)",
  "(max − min)/std along an orbit, mean / worst",
  "rms cos(∇P_i, true ẋ)",
  "share of its variance along the orbits",
];
const spanText = (m: Result["momenta"]) =>
  `P_x, P_y, L fitted on degree ≤ 2 in the learned momenta: R² ${m.spanR2.Px.toFixed(4)}, ${m.spanR2.Py.toFixed(4)}, ${m.spanR2.L.toFixed(4)} (the Runge–Lenz A_x, A_y: ${m.rungeLenzSpan.Ax.toFixed(4)}, ${m.rungeLenzSpan.Ay.toFixed(4)}); L beyond degree ≤ 4 in (P_x, P_y, H): partial R² ${m.lBeyondEnergy.toFixed(4)}`;

const independenceText = (m: Result["momenta"]) =>
  `mean of 1 − det G, G the Gram matrix of the momenta's normalised gradients (0: orthogonal, 1: dependent): ${fmt(m.independence)}; 1 − det C, C the correlation matrix of their values across the states (0: uncorrelated, 1: dependent): ${fmt(m.valueIndependence)}${m.constantMomenta.length > 0 ? `, over the momenta that vary (${m.constantMomenta.map((i) => `P${i}`).join(", ")} constant on these states)` : ""}`;

/** The held-out verdict on the SCNN's cyclic momenta as one line of text. */
const validationText = (v: TwoBodyResult["validation"]) =>
  verdictLine(
    v,
    `every cyclic momentum keeps at most ${(100 * v.targets.orbitShare).toPrecision(2)}% of its variance along the held-out orbits`,
  );

/** The comparison's text output. */
function scnnText(r: Result): string {
  return [
    "two-body, held-out orbits: energy MSE (per orbit: median / largest) / state MSE / final training loss",
    ...modelRows(r).map(([k, e, o, s, l]) => `  ${k.padEnd(9)} ${e} (${o}) / ${s} / ${l}`),
    `SCNN Poisson-bracket loss ${fmt(r.poissonLoss)}; its cyclic momenta along 64 further held-out orbits:`,
    ...momentaRows(r.momenta).map(
      ([p, f, r2, r2p, r2a, v, c]) =>
        `  ${p} ≈ ${f}  (R² ${r2}; degree ≤ 2 in the invariants: R² ${r2p}, with A: ${r2a}; variation mean / worst ${v}; rms cos with the flow ${c})`,
    ),
    `  ${spanText(r.momenta)}`,
    `  share of each P_i's variance along the orbits: ${r.momenta.orbitShare.map((v, i) => `P${i + 1} ${fmt(v)}`).join(", ")}`,
    `  mean squared cosine of the brackets {P_i, P_j}, i ≠ j: ${fmt(r.momenta.commutation)}`,
    `  ${independenceText(r.momenta)}`,
    ...(r.restarts ? [`  ${r.restarts.verdict}`] : []),
    ...(r.validation ? [validationText(r.validation)] : []),
  ].join("\n");
}

export const scnnCommand: CommandBody = {
  options: scnnOptionsSchema,
  flags: {
    ...flagSpecs(SCNN_FLAGS),
    ...checkpointedRunFlags("scnn", "every 50 Adam steps of each model and at its end"),
  },
  examples: [
    "physml integrability scnn --json",
    "physml integrability scnn --transform general --hamiltonian general",
    "physml integrability scnn --transform general --general-start polar",
    "physml integrability scnn --point-start-spread 0.15",
    "physml integrability scnn --frame bodies --tilt 0 --retrograde 0 --cyclic-q outputs --transform general --point-start identity --conservation rate --hamiltonian general --steps 2000 --restarts 0 --warmup 0",
  ],
  async run(flags, io) {
    const say = progress(io, flags);
    const result = await inCommandRun(
      "scnn",
      scnnOptionsSchema,
      SCNN_FLAGS,
      flags,
      io,
      async (o, run) => {
        const { system: _system, ...given } = o;
        const config = { ...given, ...FIXED };
        const curves = new Map<string, { x: number[]; y: number[] }>();
        // metrics.jsonl counts the steps of the three models in turn, the SCNN's draws after each other
        const offset = (model: string, draw: number) =>
          (MODELS.indexOf(model as (typeof MODELS)[number]) + draw) * config.steps;
        const curve = (model: string, draw: number) => (draw === 0 ? model : `${model} draw ${draw}`);
        const record = (model: string, s: number, loss: number, draw = 0) => {
          run.appendMetric({
            step: offset(model, draw) + s,
            model,
            modelStep: s,
            ...(draw > 0 ? { draw } : {}),
            loss,
          });
          const c = curves.get(curve(model, draw)) ?? { x: [], y: [] };
          c.x.push(s);
          c.y.push(loss);
          curves.set(curve(model, draw), c);
        };
        const last = resumedCheckpoint<TwoBodyCheckpoint>(
          run,
          (s) => typeof s.model === "string" && Array.isArray(s.done) && Array.isArray(s.history),
          (cp) => {
            cp.done.forEach((d, k) => {
              for (const l of d.losses) record(MODELS[k], l.step, l.loss);
            });
            (cp.restarts ?? []).forEach((d, a) => {
              for (const l of d.losses) record(cp.model, l.step, l.loss, a);
            });
            for (const l of cp.history) record(cp.model, l.step, l.loss, cp.restarts?.length ?? 0);
          },
          say,
        );
        if (last)
          say(
            `resuming from ${last.file}: the ${last.state.model} model${last.state.restarts?.length ? ` (draw ${last.state.restarts.length})` : ""} at Adam step ${last.state.step}`,
          );
        const r = compareTwoBody({
          ...config,
          ...(last ? { resume: last.state } : {}),
          onLoss: (model, s, loss, draw) => {
            record(model, s, loss, draw);
            if (s % 100 === 0) say(`${model}${draw > 0 ? ` draw ${draw}` : ""} step ${s}: loss ${fmt(loss)}`);
          },
          // the last one, at the end of the SCNN's training, is its learned state
          onCheckpoint: (cp) => run.saveCheckpoint(offset(cp.model, cp.restarts?.length ?? 0) + cp.step, cp),
        });
        const pick = (f: (e: TwoBodyResult["baseline"]) => number) =>
          Object.fromEntries(MODELS.map((k) => [k, f(r[k])])) as Result["energyMse"];
        const result = {
          system: "two-body",
          energyMse: pick((e) => e.energyMse),
          // absent for a model finished in a checkpoint of an earlier version
          energyMseByOrbit: Object.fromEntries(
            MODELS.flatMap((k) => (r[k].orbitEnergyMse ? [[k, r[k].orbitEnergyMse]] : [])),
          ),
          stateMse: pick((e) => e.stateMse),
          loss: pick((e) => e.finalLoss),
          poissonLoss: r.scnn.poissonLoss,
          momentumVariation: r.scnn.momentumVariation,
          momentumFormulas: r.scnn.momentumFormulas.map(fit),
          momenta: momentaJson(
            r.scnn.momenta,
            r.scnn.orbitShare,
            r.scnn.flowCosine,
            r.scnn.commutation,
            r.scnn.independence,
            r.scnn.valueIndependence,
            r.scnn.constantMomenta,
          ),
          ...(r.scnn.restarts ? { restarts: restartsJson(r.scnn.restarts) } : {}),
          validation: r.validation,
        };
        const report = await reportHtml({
          title: "integrability scnn: two-body trajectory prediction",
          summary: [
            [
              "training",
              `${config.trainOrbits} orbits of length ${config.time}, ${config.steps} Adam steps${config.warmup > 0 ? ` (learning rate warmed up over the first ${config.warmup})` : ""}, minibatch ${config.batch}`,
            ],
            ["boost", `offset ±${config.boost.offset}, velocity ±${config.boost.velocity}`],
            [
              "orbits",
              `speeds within ${config.speedSpread} of circular, velocities up to ${config.tilt} rad off the tangent, ${config.retrograde} of them clockwise; potential −1/r + ${config.inverseSquare}/r²`,
            ],
            [
              "SCNN",
              `T ${transformText(config)} fed ${FRAME_TEXT[config.frame]}, H_θ ${HAMILTONIAN_TEXT[config.hamiltonian]}, ${config.cyclic} cyclic coordinates (Q in the brackets: ${config.cyclicQ}), Poisson weight ${config.poissonWeight}, conservation weight ${config.conservationWeight} (on the ${config.conservation}), commutation weight ${config.commutationWeight}, independence weight ${config.independenceWeight} (${INDEPENDENCE_TEXT[config.independence]})`,
            ],
            ["SCNN Poisson-bracket loss", fmt(r.scnn.poissonLoss)],
            ...(result.restarts
              ? [
                  [
                    "SCNN draws",
                    `up to ${1 + config.restarts}, each judged by the smallest share of a moved momentum's variance along the training orbits (threshold ${result.restarts.threshold}): ${result.restarts.draws.map((d, a) => `draw ${a} (seed ${d.seed}) ${d.within.map((w) => w.toExponential(2)).join(", ")}${d.passed ? " passed" : ""}`).join("; ")}; kept draw ${result.restarts.kept} (${result.restarts.keptBecause})`,
                  ] as [string, string],
                ]
              : []),
          ],
          notes: [
            spanText(result.momenta),
            `mean squared cosine of the brackets {P_i, P_j}, i ≠ j, on the readout orbits: ${fmt(result.momenta.commutation)}`,
            `on the readout orbits, ${independenceText(result.momenta)}`,
            ...(result.restarts ? [result.restarts.verdict] : []),
            validationText(result.validation),
          ],
          charts: [
            xyChart({
              title: "training loss (minibatch)",
              xTitle: "Adam step",
              yTitle: "loss (with the SCNN's extra terms)",
              logY: true,
              series: [...curves].map(([name, c]) => ({ name, ...c, style: "line" as const })),
            }),
          ],
          tables: [
            {
              head: [
                "model",
                "energy MSE",
                "per orbit: median / largest",
                "state MSE",
                "final training loss",
              ],
              rows: modelRows(result),
            },
            { head: MOMENTA_HEAD, rows: momentaRows(result.momenta) },
          ],
        });
        return { result, report };
      },
      { renamed: SCNN_RENAMED_FIELDS, added: SCNN_ADDED_FIELDS },
    );
    emit(io, boolFlag(flags, "json"), result, () => scnnText(result));
    if (!result.validation || result.validation.passed) return 0;
    return failedCheck(io, "the SCNN's cyclic momenta", result.validation.failures);
  },
};
