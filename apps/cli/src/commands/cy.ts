// `physml cy sample` (points on a quintic of the Dwork family, written as .npy, with Vol_CY and
// κ) and `physml cy donaldson` (balanced metric of degree k, its σ on held-out points; the
// balanced matrix written as .npy); `cy train|eval` are in cy-train.ts. Thin wrappers over
// @physml/cy-metrics.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type Complex,
  type CyDonaldsonOptions,
  checkCyMemory,
  cyDonaldsonOptionsSchema,
  cyjaxSigma,
  cySampleOptionsSchema,
  donaldson,
  dworkQuintic,
  estimateCyMemory,
  fubiniStudySigma,
  type SigmaKRow,
  samplePoints,
  sigma,
  sigmaKReport,
  volumes,
} from "@physml/cy-metrics";
import { seedPlus, writeNpy } from "@physml/lattice-core";
import { ensureFilesDir } from "@physml/runs";
import type { CommandBody, CommandIO, RawFlags } from "../command.js";
import { boolFlag, emit, stringFlag } from "../flags.js";
import { defaultRunDir } from "../run-flags.js";
import { configFlags, flagSpecs, optionsFromFlags, withFlagErrors } from "../schema-flags.js";

const SAMPLE_FLAGS = configFlags(cySampleOptionsSchema);
const DONALDSON_FLAGS = configFlags(cyDonaldsonOptionsSchema);

const fmt = (v: number, d = 6) => v.toPrecision(d);
const pm = (e: { mean: number; error: number }, d = 6) => `${fmt(e.mean, d)} ± ${fmt(e.error, 2)}`;
const psiText = (p: Complex) => `${p.re}${p.im < 0 ? "−" : "+"}${Math.abs(p.im)}i`;

export const sampleCommand: CommandBody = {
  options: cySampleOptionsSchema,
  flags: {
    ...flagSpecs(SAMPLE_FLAGS),
    out: {
      type: "string",
      description: "directory for points.npy, weights.npy, omega2.npy",
      default: "runs/cy-sample-<time>",
    },
  },
  examples: [
    "physml cy sample --psi 0 --points 100000",
    "physml cy sample --psi 10+3i --points 20000 --out runs/dwork --json",
  ],
  async run(flags, io) {
    const { psi, points: n, seed, maxMemory } = optionsFromFlags(cySampleOptionsSchema, SAMPLE_FLAGS, flags);
    withFlagErrors(SAMPLE_FLAGS, flags, () =>
      checkCyMemory(estimateCyMemory({ command: "sample", points: n }), maxMemory, n),
    );
    const out = stringFlag(flags, "out") ?? defaultRunDir("cy-sample");
    withFlagErrors(SAMPLE_FLAGS, flags, () => ensureFilesDir(out));
    const t0 = performance.now();
    const ps = samplePoints(dworkQuintic(psi), n, seed);
    const vol = volumes(ps);
    // cymetric's layout: one row per point, [Re z₀ … Re z₄, Im z₀ … Im z₄]
    const rows = new Float64Array(10 * ps.n);
    for (let i = 0; i < ps.n; i++) {
      for (let j = 0; j < 5; j++) {
        rows[10 * i + j] = ps.z[10 * i + 2 * j];
        rows[10 * i + 5 + j] = ps.z[10 * i + 2 * j + 1];
      }
    }
    const files = {
      points: join(out, "points.npy"),
      weights: join(out, "weights.npy"),
      omega2: join(out, "omega2.npy"),
    };
    await writeNpy(files.points, rows, [ps.n, 10]);
    await writeNpy(files.weights, ps.weight, [ps.n]);
    await writeNpy(files.omega2, ps.omega2, [ps.n]);
    const seconds = (performance.now() - t0) / 1000;
    const result = {
      psi,
      points: ps.n,
      seed,
      volCY: vol.volCY,
      volK: vol.volK,
      kappa: vol.kappa,
      maxResidual: ps.maxResidual,
      rejectedLines: ps.rejectedLines,
      files,
      seconds,
    };
    emit(io, boolFlag(flags, "json"), result, () =>
      [
        `Quintic Σ z⁵ − 5ψ Π z, ψ = ${psiText(psi)}: ${ps.n} points (seed ${seed}), max relative residual ${ps.maxResidual.toExponential(1)}`,
        `  Vol_CY = ∫ Ω∧Ω̄   ${pm(vol.volCY)}   (cymetric normalisation; Vol_K = ∫ J³ = 5)`,
        `  κ = Vol_K/Vol_CY  ${pm(vol.kappa)}`,
        `  wrote ${files.points} (n×10: Re z, Im z), ${files.weights}, ${files.omega2}  (${fmt(seconds, 3)} s)`,
      ].join("\n"),
    );
  },
};

export const donaldsonCommand: CommandBody = {
  options: cyDonaldsonOptionsSchema,
  flags: {
    ...flagSpecs(DONALDSON_FLAGS),
    out: {
      type: "string",
      description:
        "directory for h.npy (N×N×2: Re, Im of the balanced matrix) and sections.npy (N×5 exponents)",
    },
  },
  examples: [
    "physml cy donaldson --k 4",
    "physml cy donaldson --k 4 --psi 10+3i --points 200000 --json",
    "physml cy donaldson --k 1..6 --points 50000 --out runs/sigma-k",
  ],
  async run(flags, io) {
    const o = optionsFromFlags(cyDonaldsonOptionsSchema, DONALDSON_FLAGS, flags);
    if (o.k.length > 1) return donaldsonOverK(o, flags, io);
    const k = o.k[0];
    const { psi, points, iterations, seed, evalPoints: nEval } = o;
    withFlagErrors(DONALDSON_FLAGS, flags, () =>
      checkCyMemory(
        estimateCyMemory({ command: "donaldson", points, evalPoints: nEval }),
        o.maxMemory,
        points,
      ),
    );
    const out = stringFlag(flags, "out");
    if (out !== undefined) withFlagErrors(DONALDSON_FLAGS, flags, () => ensureFilesDir(out));
    const json = boolFlag(flags, "json");
    const q = dworkQuintic(psi);
    const t0 = performance.now();
    const r = donaldson(q, {
      k,
      iterations,
      points,
      seed,
      onIteration: (it) =>
        io.stderr(
          `physml cy donaldson: iteration ${it.iteration}/${iterations}, ΔG ${it.change.toExponential(2)}, ${fmt(it.seconds, 3)} s\n`,
        ),
    });
    const held = samplePoints(q, nEval, seedPlus(seed, 1));
    const s = sigma(r.metric, held);
    const fs = fubiniStudySigma(held);
    const vol = volumes(held);
    const seconds = (performance.now() - t0) / 1000;
    // Without --out nothing is written: the key is left out (never null).
    let files: { h: string; sections: string } | undefined;
    if (out !== undefined) {
      const N = r.metric.basis.size;
      const h = new Float64Array(2 * N * N);
      for (let i = 0; i < N * N; i++) {
        h[2 * i] = r.metric.G.re[i];
        h[2 * i + 1] = r.metric.G.im[i];
      }
      files = { h: join(out, "h.npy"), sections: join(out, "sections.npy") };
      await writeNpy(files.h, h, [N, N, 2]);
      await writeNpy(files.sections, Int32Array.from(r.metric.basis.exponents), [N, 5]);
    }
    const result = {
      k,
      psi,
      sections: r.metric.basis.size,
      points: r.points,
      evalPoints: held.n,
      iterations,
      seed,
      sigma: s,
      sigmaFS: fs,
      volCY: vol.volCY,
      kappa: vol.kappa,
      lastChange: r.history.at(-1)?.change ?? 0,
      balanceSeconds: r.seconds,
      seconds,
      ...(files ? { files } : {}),
    };
    emit(io, json, result, () =>
      [
        `Donaldson balanced metric, k = ${k} (${r.metric.basis.size} sections), ψ = ${psiText(psi)}; ${iterations} iterations on ${result.points} points (seed ${seed})`,
        `  σ_k  ${pm(s, 4)}   on ${held.n} held-out points (Fubini–Study: ${pm(fs, 4)})`,
        `  Vol_CY ${pm(vol.volCY)}, κ ${pm(vol.kappa)}`,
        `  last relative change of G ${result.lastChange.toExponential(2)}; ${fmt(r.seconds, 3)} s balancing, ${fmt(seconds, 3)} s total`,
        ...(files ? [`  wrote ${files.h} and ${files.sections}`] : []),
      ].join("\n"),
    );
  },
};

/**
 * `cy donaldson --k a..b`: every k balanced on the same integration points and checked on the
 * same held-out points; writes report.html (σ_k against k, cyjax's values for ψ = 0) and each
 * k's h-k<k>.npy and sections-k<k>.npy into --out.
 */
async function donaldsonOverK(o: CyDonaldsonOptions, flags: RawFlags, io: CommandIO): Promise<void> {
  const outFlag = stringFlag(flags, "out");
  const json = boolFlag(flags, "json");
  const { psi, iterations, seed } = o;
  withFlagErrors(DONALDSON_FLAGS, flags, () =>
    checkCyMemory(
      estimateCyMemory({ command: "donaldson", points: o.points, evalPoints: o.evalPoints }),
      o.maxMemory,
      o.points,
    ),
  );
  const out = outFlag ?? defaultRunDir("cy-donaldson");
  withFlagErrors(DONALDSON_FLAGS, flags, () => ensureFilesDir(out));
  const t0 = performance.now();
  const q = dworkQuintic(psi);
  const integration = samplePoints(q, o.points, seed);
  const held = samplePoints(q, o.evalPoints, seedPlus(seed, 1));
  const rows: SigmaKRow[] = [];
  const files: Record<string, string> = { report: join(out, "report.html") };
  for (const k of o.k) {
    const r = donaldson(q, {
      k,
      iterations,
      integrationPoints: integration,
      onIteration: (it) =>
        io.stderr(
          `physml cy donaldson: k = ${k}, iteration ${it.iteration}/${iterations}, ΔG ${it.change.toExponential(2)}, ${fmt(it.seconds, 3)} s\n`,
        ),
    });
    const s = sigma(r.metric, held);
    const cyjax = cyjaxSigma(psi, k);
    rows.push({
      k,
      sections: r.metric.basis.size,
      sigma: s,
      ...(cyjax === undefined ? {} : { cyjax }),
      lastChange: r.history.at(-1)?.change ?? 0,
      balanceSeconds: r.seconds,
    });
    io.stderr(
      `physml cy donaldson: k = ${k}: σ ${pm(s, 4)}${cyjax === undefined ? "" : ` (cyjax ${cyjax})`}\n`,
    );
    const N = r.metric.basis.size;
    const h = new Float64Array(2 * N * N);
    for (let i = 0; i < N * N; i++) {
      h[2 * i] = r.metric.G.re[i];
      h[2 * i + 1] = r.metric.G.im[i];
    }
    files[`h${k}`] = join(out, `h-k${k}.npy`);
    files[`sections${k}`] = join(out, `sections-k${k}.npy`);
    await writeNpy(files[`h${k}`], h, [N, N, 2]);
    await writeNpy(files[`sections${k}`], Int32Array.from(r.metric.basis.exponents), [N, 5]);
  }
  const fs = fubiniStudySigma(held);
  const vol = volumes(held);
  await writeFile(
    files.report,
    await sigmaKReport({
      psi,
      points: integration.n,
      evalPoints: held.n,
      iterations,
      seed,
      rows,
      sigmaFS: fs,
    }),
  );
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
    seconds: (performance.now() - t0) / 1000,
    files,
  };
  emit(io, json, result, () =>
    [
      `Donaldson balanced metrics, k = ${o.k[0]}…${o.k[o.k.length - 1]}, ψ = ${psiText(psi)}; ${iterations} iterations on ${integration.n} points (seed ${seed}), σ on ${held.n} held-out points`,
      ...rows.map(
        (r) =>
          `  k = ${r.k} (${r.sections} sections): σ_k ${pm(r.sigma, 4)}${r.cyjax === undefined ? "" : `   cyjax ${r.cyjax}`}`,
      ),
      `  Fubini–Study σ ${pm(fs, 4)}; Vol_CY ${pm(vol.volCY)}, κ ${pm(vol.kappa)}`,
      `  ${fmt(result.seconds, 3)} s; wrote ${files.report} and h-k*.npy, sections-k*.npy`,
    ].join("\n"),
  );
}
