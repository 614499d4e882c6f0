// `physml cy sample` (points on a quintic of the Dwork family, written as .npy, with Vol_CY and
// κ) and `physml cy donaldson` (balanced metric of degree k, its σ on held-out points; the
// balanced matrix written as .npy); `cy train|eval` are in cy-train.ts. Thin wrappers over
// @physml/cy-metrics. Both run inside an @physml/runs run directory (config.json with provenance,
// lock, report.html, result.json; a second run into --out refused unless --force or --resume),
// with the .npy files a user loads beside config.json in --out; sample checkpoints its sampling
// (cy-metrics' sampleInRun), donaldson its balancing and every finished degree
// (cy-donaldson-resume.ts), so --resume continues a killed run.
import {
  balancedSigma,
  type Complex,
  type CyDonaldsonOptions,
  checkCyMemory,
  cyDonaldsonOptionsSchema,
  cyjaxSigma,
  cySampleOptionsSchema,
  dworkQuintic,
  estimateCyMemory,
  fubiniStudySigma,
  inCyRun,
  type Quintic,
  resolveCyDonaldsonConfig,
  resolveCySampleConfig,
  SAMPLE_CHECKPOINT_LINES,
  type SigmaKRow,
  sampleInRun,
  samplePoints,
  sectionBasis,
  sigmaKReport,
  volumes,
} from "@physml/cy-metrics";
import { encodeNpy, type NpyArray, plural, seedPlus } from "@physml/lattice-core";
import { atomicWrite, type Run, reportHtml } from "@physml/runs";
import type { CommandBody, CommandIO, RawFlags } from "../command.js";
import { boolFlag, emit } from "../flags.js";
import { progressLines, runFlags, runFromFlags } from "../run-flags.js";
import { configFlags, flagSpecs } from "../schema-flags.js";
import { warnAtConifold } from "./cy-conifold.js";
import {
  balanceInRun,
  checkDonaldsonState,
  checkpointStep,
  DONALDSON_CHECKPOINT_SECONDS,
  type DonaldsonState,
} from "./cy-donaldson-resume.js";

const SAMPLE_FLAGS = configFlags(cySampleOptionsSchema);
const DONALDSON_FLAGS = configFlags(cyDonaldsonOptionsSchema);

const fmt = (v: number, d = 6) => v.toPrecision(d);
const pm = (e: { mean: number; error: number }, d = 6) => `${fmt(e.mean, d)} ± ${fmt(e.error, 2)}`;
const psiText = (p: Complex) => `${p.re}${p.im < 0 ? "−" : "+"}${Math.abs(p.im)}i`;

/** Writes `<run>/<name>` (a .npy file beside config.json, where Python loads it) atomically; returns its path. */
function writeNpyFile(run: Run<unknown>, name: string, data: NpyArray, shape: readonly number[]): string {
  atomicWrite(run.file(name), encodeNpy(data, shape));
  return run.file(name);
}

export const sampleCommand: CommandBody = {
  options: cySampleOptionsSchema,
  flags: {
    ...flagSpecs(SAMPLE_FLAGS),
    ...runFlags("cy-sample"),
    out: {
      type: "string",
      description: "run directory: points.npy, weights.npy, omega2.npy beside config.json",
      default: "runs/cy-sample-<time>",
    },
    resume: {
      type: "boolean",
      description: `continue the unfinished run in --out after its last checkpoint (every ${SAMPLE_CHECKPOINT_LINES * 5} points), or report a finished one (flags given must match its config)`,
    },
  },
  examples: [
    "physml cy sample --psi 0 --points 100000",
    "physml cy sample --psi 10+3i --points 20000 --out runs/dwork --json",
  ],
  async run(flags, io) {
    const result = await runFromFlags(
      inCyRun,
      "cy-sample",
      cySampleOptionsSchema,
      SAMPLE_FLAGS,
      flags,
      io,
      async ({ psi, points: n, seed, maxMemory }, run) => {
        warnAtConifold(io, psi);
        checkCyMemory(estimateCyMemory({ command: "sample", points: n }), maxMemory, n);
        const t0 = performance.now();
        const ps = sampleInRun(run, {
          quintic: dworkQuintic(psi),
          points: n,
          seed,
          log: progressLines(io, flags),
        });
        const vol = ps.volumes;
        const result = {
          psi,
          points: ps.n,
          seed,
          volCY: vol.volCY,
          volK: vol.volK,
          kappa: vol.kappa,
          maxResidual: ps.maxResidual,
          rejectedLines: ps.rejectedLines,
          files: ps.files,
          // the earlier attempts' up to their last checkpoint, and this one's
          seconds: run.carriedSeconds + (performance.now() - t0) / 1000,
        };
        const report = await reportHtml({
          title: `cy sample: quintic Σ z⁵ − 5ψ Π z, ψ = ${psiText(psi)}`,
          summary: [
            ["points", `${ps.n} (seed ${seed})`],
            ["Vol_CY = ∫ Ω∧Ω̄ (cymetric normalisation)", pm(vol.volCY)],
            ["κ = Vol_K/Vol_CY", pm(vol.kappa)],
            ["max relative residual", ps.maxResidual.toExponential(1)],
            ["files", "points.npy (n×10: Re z, Im z), weights.npy, omega2.npy"],
          ],
        });
        return { result, report };
      },
      { resolve: resolveCySampleConfig },
    );
    const { files } = result;
    emit(io, boolFlag(flags, "json"), result, () =>
      [
        `Quintic Σ z⁵ − 5ψ Π z, ψ = ${psiText(result.psi)}: ${plural(result.points, "point")} (seed ${result.seed}), max relative residual ${result.maxResidual.toExponential(1)}`,
        `  Vol_CY = ∫ Ω∧Ω̄   ${pm(result.volCY)}   (cymetric normalisation; Vol_K = ∫ J³ = 5)`,
        `  κ = Vol_K/Vol_CY  ${pm(result.kappa)}`,
        `  wrote ${files.points} (n×10: Re z, Im z), ${files.weights}, ${files.omega2}  (${fmt(result.seconds, 3)} s)`,
        `run directory: ${result.out}`,
      ].join("\n"),
    );
  },
};

/** The balanced matrix G of a metric as N×N×2 (Re, Im), the layout of h.npy. */
function balancedMatrix(G: { re: ArrayLike<number>; im: ArrayLike<number> }, N: number): Float64Array {
  const h = new Float64Array(2 * N * N);
  for (let i = 0; i < N * N; i++) {
    h[2 * i] = G.re[i];
    h[2 * i + 1] = G.im[i];
  }
  return h;
}

export const donaldsonCommand: CommandBody = {
  options: cyDonaldsonOptionsSchema,
  flags: {
    ...flagSpecs(DONALDSON_FLAGS),
    ...runFlags("cy-donaldson"),
    out: {
      type: "string",
      description:
        "run directory: h.npy (N×N×2: Re, Im of the balanced matrix) and sections.npy (N×5 exponents) beside config.json; h-k<k>.npy, sections-k<k>.npy with --k a..b",
      default: "runs/cy-donaldson-<time>",
    },
    resume: {
      type: "boolean",
      description: `continue the unfinished run in --out from its last checkpoint (every ${DONALDSON_CHECKPOINT_SECONDS} s of iterations, and after each degree of --k a..b), or report a finished one (flags given must match its config)`,
    },
  },
  examples: [
    "physml cy donaldson --k 4",
    "physml cy donaldson --k 4 --psi 10+3i --points 200000 --json",
    "physml cy donaldson --k 1..6 --points 50000 --out runs/sigma-k",
  ],
  async run(flags, io) {
    const json = boolFlag(flags, "json");
    const result = await runFromFlags<typeof cyDonaldsonOptionsSchema, DonaldsonResult>(
      inCyRun,
      "cy-donaldson",
      cyDonaldsonOptionsSchema,
      DONALDSON_FLAGS,
      flags,
      io,
      async (o, run) => {
        warnAtConifold(io, o.psi);
        checkCyMemory(
          estimateCyMemory({
            command: "donaldson",
            points: o.points,
            evalPoints: o.evalPoints,
            k: Math.max(...o.k),
          }),
          o.maxMemory,
          o.points,
        );
        return o.k.length > 1 ? donaldsonOverK(o, run, flags, io) : donaldsonOne(o, run, flags, io);
      },
      { resolve: resolveCyDonaldsonConfig },
    );
    if ("ks" in result) {
      const rows = result.sigmaK;
      emit(io, json, result, () =>
        [
          `Donaldson balanced metrics, k = ${result.ks[0]}…${result.ks[result.ks.length - 1]}, ψ = ${psiText(result.psi)}; ${plural(result.iterations, "iteration")} on ${plural(result.points, "point")} (seed ${result.seed}), σ on ${result.evalPoints} held-out points`,
          ...rows.map(
            (r) =>
              `  k = ${r.k} (${r.sections} sections): σ_k ${pm(r.sigmaWithBalancing, 4)} (held-out ± ${fmt(r.sigma.error, 2)}, balancing ± ${fmt(r.balancingError, 2)})${r.cyjax === undefined ? "" : `   cyjax ${r.cyjax}`}`,
          ),
          `  Fubini–Study σ ${pm(result.sigmaFS, 4)}; Vol_CY ${pm(result.volCY)}, κ ${pm(result.kappa)}`,
          `  ${fmt(result.seconds, 3)} s; wrote ${result.files.report} and h-k*.npy, sections-k*.npy`,
          `run directory: ${result.out}`,
        ].join("\n"),
      );
    } else {
      emit(io, json, result, () =>
        [
          `Donaldson balanced metric, k = ${result.k} (${result.sections} sections), ψ = ${psiText(result.psi)}; ${plural(result.iterations, "iteration")} on ${plural(result.points, "point")} (seed ${result.seed})`,
          `  σ_k  ${pm(result.sigmaWithBalancing, 4)}   on ${result.evalPoints} held-out points (held-out ± ${fmt(result.sigma.error, 2)}, balancing ± ${fmt(result.balancingError, 2)}; Fubini–Study: ${pm(result.sigmaFS, 4)})`,
          `  Vol_CY ${pm(result.volCY)}, κ ${pm(result.kappa)}`,
          `  last relative change of G ${result.lastChange.toExponential(2)}; ${fmt(result.balanceSeconds, 3)} s balancing, ${fmt(result.seconds, 3)} s total`,
          `  wrote ${result.files.h} and ${result.files.sections}`,
          `run directory: ${result.out}`,
        ].join("\n"),
      );
    }
  },
};

/** What `cy donaldson` gives: one k's result, or every k's of `--k a..b`. */
type DonaldsonResult =
  | Awaited<ReturnType<typeof donaldsonOne>>["result"]
  | Awaited<ReturnType<typeof donaldsonOverK>>["result"];

/** The newest checkpoint of an unfinished `cy donaldson` run (null for a new one), said on stderr. */
function resumeDonaldson(
  run: Run<unknown>,
  q: Quintic,
  ks: readonly number[],
  iterations: number,
  say: (s: string) => void,
): DonaldsonState | null {
  const ckpt = run.loadCheckpoint((raw) =>
    checkDonaldsonState(raw, ks, iterations, (k) => sectionBasis(q, k).size),
  );
  if (!ckpt) return null;
  const { rows, balancing } = ckpt.state;
  const finished = rows.length > 0 ? `k = ${rows.map((r) => r.k).join(", ")} finished` : "";
  const balanced = balancing ? `k = ${balancing.k} after iteration ${balancing.history.length}` : "";
  say(`physml cy donaldson: resuming from ${ckpt.file}: ${[finished, balanced].filter((t) => t).join("; ")}`);
  return ckpt.state;
}

/** `cy donaldson --k k`: one balanced metric, its σ on held-out points; h.npy and sections.npy. */
async function donaldsonOne(o: CyDonaldsonOptions, run: Run<unknown>, flags: RawFlags, io: CommandIO) {
  const k = o.k[0];
  const { psi, points, iterations, seed, evalPoints: nEval } = o;
  const say = progressLines(io, flags);
  const q = dworkQuintic(psi);
  const stored = resumeDonaldson(run, q, [k], iterations, say);
  const t0 = performance.now();
  const integration = samplePoints(q, points, seed);
  const r = balanceInRun({
    run,
    quintic: q,
    ks: [k],
    index: 0,
    iterations,
    points: integration,
    rows: [],
    ...(stored?.balancing ? { from: stored.balancing } : {}),
    onIteration: (it) =>
      say(
        `physml cy donaldson: iteration ${it.iteration}/${iterations}, ΔG ${it.change.toExponential(2)}, ${fmt(it.seconds, 3)} s`,
      ),
  });
  const held = samplePoints(q, nEval, seedPlus(seed, 1));
  const s = balancedSigma(r.metric, integration, held, iterations);
  const fs = fubiniStudySigma(held);
  const vol = volumes(held);
  const N = r.metric.basis.size;
  const files = {
    h: writeNpyFile(run, "h.npy", balancedMatrix(r.metric.G, N), [N, N, 2]),
    sections: writeNpyFile(run, "sections.npy", Int32Array.from(r.metric.basis.exponents), [N, 5]),
  };
  const result = {
    k,
    psi,
    sections: N,
    points: r.points,
    evalPoints: held.n,
    iterations,
    seed,
    ...s,
    sigmaFS: fs,
    volCY: vol.volCY,
    kappa: vol.kappa,
    lastChange: r.history.at(-1)?.change ?? 0,
    balanceSeconds: r.seconds,
    // the balancing's earlier attempts are in both: in balanceSeconds through the stored history
    seconds: run.carriedSeconds + (performance.now() - t0) / 1000,
    files,
  };
  const report = await reportHtml({
    title: `cy donaldson: balanced metric, k = ${k}, ψ = ${psiText(psi)}`,
    summary: [
      ["sections", String(N)],
      ["integration points", `${r.points} (seed ${seed}), ${plural(iterations, "iteration")}`],
      ["σ_k on held-out points", `${pm(s.sigma, 4)} (${plural(held.n, "point")})`],
      ["balancing error (σ_k over integration points)", fmt(s.balancingError, 2)],
      ["σ_k with both errors (its spread over seeds)", pm(s.sigmaWithBalancing, 4)],
      ["Fubini–Study σ", pm(fs, 4)],
      ["Vol_CY, κ", `${pm(vol.volCY)}, ${pm(vol.kappa)}`],
      ["files", "h.npy (N×N×2: Re, Im), sections.npy (N×5 exponents)"],
    ],
  });
  return { result, report };
}

/**
 * `cy donaldson --k a..b`: every k balanced on the same integration points and checked on the
 * same held-out points; report.html (σ_k against k, cyjax's values for ψ = 0) and each k's
 * h-k<k>.npy and sections-k<k>.npy.
 */
async function donaldsonOverK(o: CyDonaldsonOptions, run: Run<unknown>, flags: RawFlags, io: CommandIO) {
  const { psi, iterations, seed } = o;
  const say = progressLines(io, flags);
  const t0 = performance.now();
  const q = dworkQuintic(psi);
  const integration = samplePoints(q, o.points, seed);
  const held = samplePoints(q, o.evalPoints, seedPlus(seed, 1));
  const stored = resumeDonaldson(run, q, o.k, iterations, say);
  const rows: SigmaKRow[] = [...(stored?.rows ?? [])];
  const files: Record<string, string> = { report: run.file("report.html") };
  for (const [index, k] of o.k.entries()) {
    if (index < rows.length) {
      // finished before the run was killed: its files were written before its checkpoint
      files[`h${k}`] = run.file(`h-k${k}.npy`);
      files[`sections${k}`] = run.file(`sections-k${k}.npy`);
      continue;
    }
    const r = balanceInRun({
      run,
      quintic: q,
      ks: o.k,
      index,
      iterations,
      points: integration,
      rows,
      ...(stored?.balancing?.k === k ? { from: stored.balancing } : {}),
      onIteration: (it) =>
        say(
          `physml cy donaldson: k = ${k}, iteration ${it.iteration}/${iterations}, ΔG ${it.change.toExponential(2)}, ${fmt(it.seconds, 3)} s`,
        ),
    });
    const s = balancedSigma(r.metric, integration, held, iterations);
    const cyjax = cyjaxSigma(psi, k);
    rows.push({
      k,
      sections: r.metric.basis.size,
      ...s,
      ...(cyjax === undefined ? {} : { cyjax }),
      lastChange: r.history.at(-1)?.change ?? 0,
      balanceSeconds: r.seconds,
    });
    say(
      `physml cy donaldson: k = ${k}: σ ${pm(s.sigmaWithBalancing, 4)}${cyjax === undefined ? "" : ` (cyjax ${cyjax})`}`,
    );
    const N = r.metric.basis.size;
    files[`h${k}`] = writeNpyFile(run, `h-k${k}.npy`, balancedMatrix(r.metric.G, N), [N, N, 2]);
    files[`sections${k}`] = writeNpyFile(
      run,
      `sections-k${k}.npy`,
      Int32Array.from(r.metric.basis.exponents),
      [N, 5],
    );
    run.saveCheckpoint(checkpointStep(index, iterations + 1, iterations), { rows } satisfies DonaldsonState);
  }
  const fs = fubiniStudySigma(held);
  const vol = volumes(held);
  const report = await sigmaKReport({
    psi,
    points: integration.n,
    evalPoints: held.n,
    iterations,
    seed,
    rows,
    sigmaFS: fs,
  });
  const result = {
    ks: o.k,
    psi,
    points: integration.n,
    evalPoints: held.n,
    iterations,
    seed,
    sigmaK: rows,
    sigmaFS: fs,
    volCY: vol.volCY,
    kappa: vol.kappa,
    seconds: run.carriedSeconds + (performance.now() - t0) / 1000,
    files,
  };
  return { result, report };
}
