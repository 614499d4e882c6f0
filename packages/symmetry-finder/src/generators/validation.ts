// The verdict on a generator search: whether the generators it found are an algebra, judged by
// checks that need no truth (closure under the commutator, a clear gap between the kept
// components and the rest) plus, when the truth is known, antisymmetry and the angle to it.
import type { AlgebraReport } from "./report.js";

/** The thresholds a generator search's result must meet (see {@link GENERATOR_TARGETS}). */
export interface GeneratorTargets {
  /** Closure residual (unit-norm generators) below this. */
  closureResidual: number;
  /** max |G + Gᵀ|/|G| below this, where the true algebra is orthogonal. */
  antisymmetry: number;
  /** The plane method: explained variance of the last kept component over the first dropped, above this. */
  varianceGap: number;
  /** The tangent method: first non-null constraint eigenvalue over the last null one, above this. */
  spectrumGap: number;
  /** Largest principal angle (radians) to the true algebra below this, when it is known. */
  angleToTrue: number;
}

/**
 * The thresholds, from the four built-in groups at their defaults on seeds 1–8 (so3 and so4 by
 * planes, so2xso2 and so3in4 by tangents) and runs that should fail (packages/symmetry-finder/
 * README.md, "Measured"). Closure, antisymmetry and angle share one angle budget θ = 0.15 rad,
 * about twice the worst good run: a span θ away from a compact algebra leaves a commutator of
 * about θ outside itself (measured closure/angle 0.36–1.30) and a symmetric part |G + Gᵀ|/|G|
 * of up to 2 sin θ (measured antisymmetry/angle 0.41–1.97).
 *
 * - `angleToTrue` 0.15 rad: good runs 0.012–0.084 rad (so(4) by planes the worst, 0.058–0.084);
 *   a wrong number of generators is π/2 (so2xso2 or so3in4 by planes: so(4)'s six).
 * - `closureResidual` 0.15: good runs 0.006–0.071; a span that misses the commutator of two
 *   unit-norm so(n) generators leaves 1/√2 (so3 on 60 points per class: 0.72; on 100: 0.25).
 * - `antisymmetry` 0.3 (≈ 2 sin θ): good runs 0.008–0.123; too few points (so3 on 100 per
 *   class) 0.41.
 * - `varianceGap` 3: the plane method's components beyond the algebra are the fits' noise; good
 *   runs gave ratios 9.4–177, so4 on 200–400 points per class 1.5–2.5 (5 or 14 "generators").
 * - `spectrumGap` 3: the tangent method's null eigenvalues sat at ≤ 2.2·10⁻³ of the largest and
 *   the next at ≥ 1.28·10⁻², ratios 6.4–17 (so3 by tangents 490); below 3 the count at its `tol` is a guess.
 *
 * Your own points (no truth) get closure and the gap only, which cannot tell so(4)'s shape from
 * the data's smaller algebra: the plane method on so2xso2 (seeds 1–4) and so3in4 (seeds 1–3)
 * found six generators with closure 0.076–0.108, antisymmetry 0.13–0.28 and gaps 6.7–9.8, near
 * good so(4) runs and inside the budget; only the angle, or the tangent method, tells them apart.
 */
export const GENERATOR_TARGETS: GeneratorTargets = {
  closureResidual: 0.15,
  antisymmetry: 0.3,
  varianceGap: 3,
  spectrumGap: 3,
  angleToTrue: 0.15,
};

/** The outcome of {@link validateGenerators}: the `validation` of `physml symmetry generators`. */
export interface GeneratorValidation {
  passed: boolean;
  /** One sentence per missed target, naming the measured value and the threshold. */
  failures: string[];
  /** The thresholds that were checked (an unchecked one is absent). */
  targets: Partial<GeneratorTargets>;
  /** What was not judged and why (e.g. antisymmetry on your own points). */
  notes: string[];
}

/** What {@link validateGenerators} reads: a search's report and what is known about the truth. */
export interface GeneratorEvidence {
  report: AlgebraReport & { spectrum?: number[]; nullDirections?: number };
  /** Largest principal angle to the true algebra, when it is known (built-in groups). */
  angleToTrue?: number;
  /** The true algebra's dimension, when it is known: a failed angle then says whether the count differs. */
  trueDimension?: number;
  /**
   * Whether the true algebra is known to be orthogonal (a subalgebra of so(n), as for every
   * built-in group's O(n)-type potential): only then must the generators be antisymmetric.
   */
  orthogonal: boolean;
}

const g3 = (v: number) => (Number.isFinite(v) ? v.toPrecision(3) : String(v));

/** Ratio of the last kept to the first dropped magnitude (Infinity when the dropped one is 0). */
const ratio = (kept: number, dropped: number) => (dropped > 0 ? kept / dropped : Infinity);

/**
 * Checks a generator search's result against `targets`: at least one generator (unless the
 * truth is known to have none: `angleToTrue` 0 with none found); the span closed
 * under the commutator; the number of generators separated from the rest by a clear gap
 * (explained variances for the plane method, the constraint spectrum for the tangent method,
 * whose report carries `spectrum`); and, when `orthogonal`, antisymmetric generators and, when
 * `angleToTrue` is given, a small angle to the true algebra. A non-finite value fails.
 */
export function validateGenerators(
  e: GeneratorEvidence,
  targets: GeneratorTargets = GENERATOR_TARGETS,
): GeneratorValidation {
  const r = e.report;
  const failures: string[] = [];
  const notes: string[] = [];
  const checked: Partial<GeneratorTargets> = { closureResidual: targets.closureResidual };
  const d = r.generators.length;
  // none found is right only where the truth is known to have none (then the angle is 0)
  if (d === 0 && e.angleToTrue !== 0)
    failures.push(
      `no generator found: no symmetry to check${r.spectrum ? ` (smallest constraint eigenvalue ${g3(r.spectrum[0])} of the largest)` : ""}`,
    );
  if (!(r.closureResidual < targets.closureResidual))
    failures.push(
      `the span does not close under the commutator: closure residual ${g3(r.closureResidual)} (threshold < ${targets.closureResidual})`,
    );
  if (r.spectrum) {
    // the tangent method: the eigenvalues below its tol are the null directions
    checked.spectrumGap = targets.spectrumGap;
    const k = r.nullDirections ?? d;
    if (k > 0 && k < r.spectrum.length) {
      const gap = ratio(r.spectrum[k], r.spectrum[k - 1]);
      if (!(gap > targets.spectrumGap))
        failures.push(
          `no clear gap after ${k} null directions: constraint eigenvalue ${g3(r.spectrum[k])} over ${g3(r.spectrum[k - 1])} is ${g3(gap)} (threshold > ${targets.spectrumGap})`,
        );
    }
  } else if (d > 0 && d < r.explainedVariance.length) {
    checked.varianceGap = targets.varianceGap;
    const gap = ratio(r.explainedVariance[d - 1], r.explainedVariance[d]);
    if (!(gap > targets.varianceGap))
      failures.push(
        `no clear gap after ${d} generators: explained variance ${g3(r.explainedVariance[d - 1])} over the next ${g3(r.explainedVariance[d])} is ${g3(gap)} (threshold > ${targets.varianceGap})`,
      );
  }
  if (e.orthogonal) {
    checked.antisymmetry = targets.antisymmetry;
    if (!(r.antisymmetry < targets.antisymmetry))
      failures.push(
        `the generators are not antisymmetric: |G + Gᵀ|/|G| up to ${g3(r.antisymmetry)} (threshold < ${targets.antisymmetry})`,
      );
  } else {
    notes.push(
      "antisymmetry is reported, not judged: a symmetry of your own points need not be a rotation in their coordinates (an ellipsoid's is a conjugated so(n), a hyperbola's a boost)",
    );
  }
  if (e.angleToTrue !== undefined) {
    checked.angleToTrue = targets.angleToTrue;
    if (!(e.angleToTrue < targets.angleToTrue))
      failures.push(
        `the span is ${g3(e.angleToTrue)} rad from the true algebra (threshold < ${targets.angleToTrue} rad${e.trueDimension !== undefined && e.trueDimension !== d ? `; ${d} generators found, the true algebra has ${e.trueDimension}` : ""})`,
      );
  }
  return { passed: failures.length === 0, failures, targets: checked, notes };
}

/**
 * The verdict in one line, as the CLI prints it and the report shows it: `validation: passed` or
 * `validation: FAILED (<failures>)`.
 */
export function validationLine(v: Pick<GeneratorValidation, "passed" | "failures">): string {
  return `validation: ${v.passed ? "passed" : `FAILED (${v.failures.join("; ")})`}`;
}
