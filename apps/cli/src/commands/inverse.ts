// physml inverse ising: couplings from samples by pseudo-likelihood (thin wrapper over
// @physml/inverse-ising; flags, ranges and help come from the package's zod schema).

import {
  type InverseConfigInput,
  type InverseRunResult,
  inverseConfigSchema,
  type LineDualityConfigInput,
  type LineDualityRunResult,
  lineDualityConfigSchema,
  runInverseIsing,
  runLineDuality,
} from "@physml/inverse-ising";
import { plural } from "@physml/lattice-core";
import type { CommandBody } from "../command.js";
import { failedCheck } from "../failed-check.js";
import { boolFlag, emit } from "../flags.js";
import { configFlags, flagError, flagSpecs, inputFromFlags } from "../schema-flags.js";

const CONFIG_FLAGS = configFlags(inverseConfigSchema);
const LINE_FLAGS = configFlags(lineDualityConfigSchema);

function human(r: InverseRunResult): string {
  const head =
    r.source === "file"
      ? `${plural(r.samples, "sample")} of ${plural(r.sites, "site")} from ${r.samplesPath}`
      : `${plural(r.samples, "sample")} of ${plural(r.sites, "site")} from ${plural(r.sampling?.chains ?? 0, "Metropolis chain")} (${r.sampling?.backend}, ${r.sampling?.seconds.toFixed(2)} s)`;
  const rows = r.terms.map((t) => {
    const base = `  ${t.name.padEnd(10)} ${t.value.toFixed(5)} ± ${t.error.toFixed(5)}`;
    if (t.truth === undefined) return base;
    const pull = t.pull !== undefined ? `  pull ${t.pull >= 0 ? "+" : ""}${t.pull.toFixed(2)}σ` : "";
    const rel = t.relativeError !== undefined ? `  (${(100 * t.relativeError).toFixed(2)} %)` : "";
    return `${base}   truth ${t.truth.toFixed(5)}${pull}${rel}`;
  });
  return [
    head,
    `couplings (jackknife 1σ over ${plural(r.blocks, "block")}):`,
    ...rows,
    `Newton: ${plural(r.iterations, "step")}, ${r.converged ? "converged" : "NOT converged (data nearly separable: too cold?)"}, |∇| = ${r.gradientNorm.toExponential(1)}, ${plural(r.patterns, "local pattern")}; fit ${r.fitSeconds.toFixed(2)} s, total ${r.seconds.toFixed(2)} s`,
  ].join("\n");
}

export const isingCommand: CommandBody = {
  options: inverseConfigSchema,
  flags: flagSpecs(CONFIG_FLAGS),
  examples: [
    "physml inverse ising --samples configs.npy --L 16 --terms nn,nnn,plaquette --json",
    "physml inverse ising --beta 0.3 --nnn 0.05 --L 16",
    "physml inverse ising --beta 0.3 --plaquette 0.05 --samples-count 8192 --seed 2",
  ],
  async run(flags, io) {
    let r: InverseRunResult;
    try {
      r = await runInverseIsing(inputFromFlags(CONFIG_FLAGS, flags) as InverseConfigInput);
    } catch (e) {
      throw flagError(e, CONFIG_FLAGS, flags);
    }
    emit(io, boolFlag(flags, "json"), r, () => human(r));
    return r.converged
      ? 0
      : failedCheck(io, "the recovered couplings", [
          `Newton did not converge in ${plural(r.iterations, "step")} (|∇| = ${r.gradientNorm.toExponential(1)}; data nearly separable: too cold?)`,
        ]);
  },
};

const est = (e: { value: number; error: number }) => `${e.value.toFixed(5)} ± ${e.error.toFixed(5)}`;

/** The nn + nnn fit's correlation and flat / best-determined directions, or why they are missing. */
function dualCovarianceLine(r: LineDualityRunResult): string {
  const c = r.dual.covariance;
  if (c && c.terms.length > 2) {
    // Three couplings: the correlations, pair by pair (the axes are given for two only).
    const m = c.matrix;
    const rho = (i: number, j: number) => {
      const v = m[i][j] / Math.sqrt(m[i][i] * m[j][j]);
      return Number.isFinite(v) ? v.toFixed(4) : "undefined (zero variance)";
    };
    const pairs = c.terms.flatMap((a, i) =>
      c.terms.slice(i + 1).map((b, k) => `${a}–${b} ${rho(i, i + 1 + k)}`),
    );
    return `dual ${c.terms.join(" + ")} covariance: correlations ${pairs.join(", ")}`;
  }
  if (!c?.flatDirection || !c.sharpDirection) {
    return `dual nn + nnn covariance: not available (${r.dual.covarianceUnavailable ?? "fewer than two couplings"})`;
  }
  const [u, v] = c.sharpDirection.direction;
  // Written as t_nn + a t_nnn (t_nn's coefficient 1), unless the axis is t_nnn itself.
  const sharp =
    u > 1e-9
      ? `t_nn ${v >= 0 ? "+" : "−"} ${Math.abs(v / u).toFixed(3)} t_nnn = ${(r.dual.tNn + (v / u) * r.dual.tNnn).toFixed(5)} ± ${(c.sharpDirection.error / u).toFixed(5)}`
      : `t_nnn = ${r.dual.tNnn.toFixed(5)} ± ${c.sharpDirection.error.toFixed(5)}`;
  const [fx, fy] = c.flatDirection.direction;
  return (
    `dual nn + nnn covariance: correlation ${c.correlation === undefined ? "undefined (zero variance)" : c.correlation.toFixed(4)}; ` +
    `flat direction (${fx.toFixed(3)}, ${fy.toFixed(3)}) σ = ${c.flatDirection.error.toFixed(5)}; ` +
    `best determined ${sharp}`
  );
}

function lineHuman(r: LineDualityRunResult): string {
  const kw = r.kw
    ? [
        `Kramers–Wannier β̃ = ${r.kw.dualBeta.toFixed(5)}: nn-only ${(100 * r.kw.relativeErrorNnOnly).toFixed(2)} % off, nn + nnn ${(100 * r.kw.relativeError).toFixed(2)} % off` +
          (r.kwCheck
            ? ` (check ≤ ${(100 * r.kwCheck.tolerance).toFixed(1)} %: ${r.kwCheck.passed ? "passed" : "FAILED"})`
            : ""),
      ]
    : [];
  return [
    `original β = ${r.beta}, plaquette κ = ${r.plaquette}, nnn λ = ${r.nnn} on ${r.L}×${r.L} (${r.boundary}); disorder-line correlators g1 ${est(r.lines.g1)}, g2 ${est(r.lines.g2)}, g3 ${est(r.lines.g3)}, g4 ${est(r.lines.g4)} (${r.endpoints} endpoints)`,
    `dual ${r.dualTerms.replaceAll("+", " + ")}: t_nn = ${r.dual.tNn.toFixed(5)} ± ${r.dual.tNnError.toFixed(5)}, t_nnn = ${r.dual.tNnn.toFixed(5)} ± ${r.dual.tNnnError.toFixed(5)}` +
      (r.dual.tD2 !== undefined && r.dual.tD2Error !== undefined
        ? `, t_d2 = ${r.dual.tD2.toFixed(5)} ± ${r.dual.tD2Error.toFixed(5)}`
        : ""),
    `dual nn only:  t_nn = ${r.dualNnOnly.tNn.toFixed(5)} ± ${r.dualNnOnly.tNnError.toFixed(5)}`,
    dualCovarianceLine(r),
    ...kw,
    `${r.seconds.toFixed(1)} s`,
  ].join("\n");
}

export const lineCommand: CommandBody = {
  options: lineDualityConfigSchema,
  flags: {
    ...flagSpecs(LINE_FLAGS),
    quiet: { type: "boolean", description: "no progress on stderr" },
  },
  examples: [
    "physml inverse line --beta 0.261 --L 12 --json",
    "physml inverse line --beta 0.261 --plaquette 0.0194 --L 12 --samples-count 16384 --dual-samples 128",
    "physml inverse line --beta 0.261 --nnn 0.0194 --L 12 --samples-count 16384 --dual-samples 128",
  ],
  async run(flags, io) {
    let r: LineDualityRunResult;
    try {
      r = await runLineDuality(inputFromFlags(LINE_FLAGS, flags) as LineDualityConfigInput, (m) => {
        if (!boolFlag(flags, "quiet")) io.stderr(`physml inverse line: ${m}\n`);
      });
    } catch (e) {
      throw flagError(e, LINE_FLAGS, flags);
    }
    emit(io, boolFlag(flags, "json"), r, () => lineHuman(r));
    const check = r.kwCheck;
    if (!check || check.passed) return 0;
    const off = r.kw
      ? `${(100 * r.kw.relativeErrorNnOnly).toFixed(2)} % from Kramers–Wannier's β̃ = ${r.kw.dualBeta.toFixed(5)}`
      : "off Kramers–Wannier's β̃";
    return failedCheck(io, "the line-based dual", [
      `the nn-only dual coupling is ${off} (tolerance ${(100 * check.tolerance).toFixed(1)} %, --kw-tolerance)`,
    ]);
  },
};
