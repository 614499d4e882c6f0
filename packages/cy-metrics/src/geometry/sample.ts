// Points on the quintic by intersecting random lines with it (as cymetric and cyjax do): u, v
// uniform on S⁹ ⊂ C⁵ span a line u + t v in P⁴ that meets X in the 5 roots of t ↦ p(u + t v).
// By Shiffman–Zelditch these points are distributed as the Fubini–Study volume J_FS³ on X, so a
// point's weight for integrals against Ω∧Ω̄ is w = |Ω|² / det g_FS.
import { random } from "@physml/autodiff";
import { checkInt, MAX_SEED } from "@physml/lattice-core";
import { fubiniStudyOnX } from "./fubini-study.js";
import { omegaSquared } from "./patches.js";
import { evalQuintic, linePolynomial, N_COORDS, type Quintic } from "./quintic.js";
import { polynomialRoots } from "./roots.js";

/** Points in given charts: what a metric evaluation needs (a {@link PointSet} is one). */
export interface PointsView {
  n: number;
  /** n × 5 interleaved complex coordinates with z_patch = 1. */
  z: Float64Array;
  /** n × 5 interleaved ∂p/∂z_j at those coordinates. */
  grad: Float64Array;
  patch: Uint8Array;
  dependent: Uint8Array;
}

/** Points on X with everything the integrals need; the 5 points of each line are consecutive. */
export interface PointSet extends PointsView {
  quintic: Quintic;
  /** Number of points (a multiple of 5: whole lines). */
  n: number;
  /** n × 5 interleaved complex homogeneous coordinates, scaled so that z_patch = 1. */
  z: Float64Array;
  /** Patch of each point: the index of the largest |z_i|. */
  patch: Uint8Array;
  /** Dependent coordinate of each point: the largest |∂p/∂z_j| over j ≠ patch. */
  dependent: Uint8Array;
  /** n × 5 interleaved ∂p/∂z_j at the normalised point. */
  grad: Float64Array;
  /** |Ω|² = 1/|∂p/∂z_dep|² in the point's local coordinates. */
  omega2: Float64Array;
  /** det of the pulled-back Fubini–Study metric in the same coordinates. */
  detFS: Float64Array;
  /** Monte Carlo weight w = |Ω|² / det g_FS (dVol_CY / dVol_FS up to a constant). */
  weight: Float64Array;
  /** Largest relative residual |p(z)| / Σ_terms|c z^e| over the points. */
  maxResidual: number;
  /** Lines discarded because the root finder did not converge (replaced by fresh lines). */
  rejectedLines: number;
}

/** Points per line. */
export const POINTS_PER_LINE = 5;

/** A point set of `n` points on `q` with every per-point array allocated and zero (to be filled). */
export function emptyPointSet(q: Quintic, n: number): PointSet {
  return {
    quintic: q,
    n,
    z: new Float64Array(10 * n),
    grad: new Float64Array(10 * n),
    patch: new Uint8Array(n),
    dependent: new Uint8Array(n),
    omega2: new Float64Array(n),
    detFS: new Float64Array(n),
    weight: new Float64Array(n),
    maxResidual: 0,
    rejectedLines: 0,
  };
}

const LINES_PER_CHUNK = 4096;
const MAX_RELATIVE_RESIDUAL = 1e-10;

/**
 * Samples ⌈nPoints/5⌉ lines (5·lines points) on the quintic `q`; same seed, same points. A line
 * whose roots do not converge or leave a residual above 1e-10 (relative) is replaced by the next
 * random line; the count is reported.
 */
export function samplePoints(q: Quintic, nPoints: number, seed: number): PointSet {
  const lines = Math.ceil(nPoints / POINTS_PER_LINE);
  return samplePiece(q, nPoints, seed, SAMPLER_START, lines).points;
}

/**
 * Where a sampling of {@link samplePoints} stands between two pieces: the lines accepted so far,
 * the next random line to try (line `line` of the random block `block`; a block's random numbers
 * come from its own key of the seed), and the tallies so far. Plain numbers: a checkpoint stores it.
 */
export interface SamplerPosition {
  lines: number;
  block: number;
  line: number;
  rejectedLines: number;
  maxResidual: number;
}

/** The position before the first line. */
export const SAMPLER_START: Readonly<SamplerPosition> = Object.freeze({
  lines: 0,
  block: 0,
  line: 0,
  rejectedLines: 0,
  maxResidual: 0,
});

/**
 * The next `lines` lines of the sampling `samplePoints(q, nPoints, seed)` from `from`, and the
 * position after them: pieces taken one after another, from {@link SAMPLER_START} until all
 * ⌈nPoints/5⌉ lines are taken, hold exactly the points of `samplePoints` in order, however the
 * lines are split (a piece depends only on the position it starts from). The piece's
 * `maxResidual` and `rejectedLines` are its own; the position's add up the sampling's so far.
 */
export function samplePiece(
  q: Quintic,
  nPoints: number,
  seed: number,
  from: Readonly<SamplerPosition>,
  lines: number,
): { points: PointSet; next: SamplerPosition } {
  checkInt("nPoints", nPoints, 1, 1e8);
  checkInt("seed", seed, 0, MAX_SEED);
  const total = Math.ceil(nPoints / POINTS_PER_LINE);
  checkInt("lines", lines, 0, total - from.lines);
  const n = lines * POINTS_PER_LINE;
  const ps = emptyPointSet(q, n);
  const { z, grad, patch, dependent, omega2, detFS, weight } = ps;
  const u = new Float64Array(10);
  const v = new Float64Array(10);
  const coef = new Float64Array(12);
  const val = new Float64Array(2);
  const scale = new Float64Array(1);
  const g3 = new Float64Array(18);
  const zl = new Float64Array(50);
  const gl = new Float64Array(50);
  // The number of keys (and so the cap on rejected lines) is the whole sampling's; key c is the
  // same for any count (split is counter-based).
  const chunkKeys = random.split(random.key(seed), 1 + Math.ceil(total / LINES_PER_CHUNK) + 64);
  let maxResidual = 0;
  let rejected = 0;
  let done = 0;
  let c = from.block;
  let l = from.line;
  for (; done < lines; c++, l = 0) {
    if (c >= chunkKeys.length) throw new RangeError("samplePoints: too many rejected lines");
    const normals = random.normal(chunkKeys[c], [LINES_PER_CHUNK, 20]).toFloat64Array();
    for (; l < LINES_PER_CHUNK && done < lines; l++) {
      let nu = 0;
      let nv = 0;
      for (let i = 0; i < 10; i++) {
        u[i] = normals[20 * l + i];
        v[i] = normals[20 * l + 10 + i];
        nu += u[i] * u[i];
        nv += v[i] * v[i];
      }
      nu = 1 / Math.sqrt(nu);
      nv = 1 / Math.sqrt(nv);
      for (let i = 0; i < 10; i++) {
        u[i] *= nu;
        v[i] *= nv;
      }
      linePolynomial(q, u, v, coef);
      if (!(Math.hypot(coef[10], coef[11]) > 1e-12)) {
        rejected++;
        continue;
      }
      const r = polynomialRoots(coef, 5);
      let ok = r.converged;
      let lineResidual = 0;
      for (let k = 0; k < POINTS_PER_LINE && ok; k++) {
        const tr = r.roots[2 * k];
        const ti = r.roots[2 * k + 1];
        // homogeneous point u + t v, then scaled by its largest coordinate
        let best = 0;
        let pa = 0;
        for (let j = 0; j < N_COORDS; j++) {
          const xr = u[2 * j] + tr * v[2 * j] - ti * v[2 * j + 1];
          const xi = u[2 * j + 1] + tr * v[2 * j + 1] + ti * v[2 * j];
          zl[10 * k + 2 * j] = xr;
          zl[10 * k + 2 * j + 1] = xi;
          const m = xr * xr + xi * xi;
          if (m > best) {
            best = m;
            pa = j;
          }
        }
        const pr = zl[10 * k + 2 * pa] / best;
        const pi = -zl[10 * k + 2 * pa + 1] / best;
        for (let j = 0; j < N_COORDS; j++) {
          const xr = zl[10 * k + 2 * j];
          const xi = zl[10 * k + 2 * j + 1];
          zl[10 * k + 2 * j] = j === pa ? 1 : xr * pr - xi * pi;
          zl[10 * k + 2 * j + 1] = j === pa ? 0 : xr * pi + xi * pr;
        }
        evalQuintic(q, zl, 10 * k, val, gl.subarray(10 * k, 10 * k + 10), scale);
        const res = Math.hypot(val[0], val[1]) / scale[0];
        lineResidual = Math.max(lineResidual, res);
        if (!(res <= MAX_RELATIVE_RESIDUAL)) ok = false;
        patch[done * POINTS_PER_LINE + k] = pa;
      }
      if (!ok) {
        rejected++;
        continue;
      }
      maxResidual = Math.max(maxResidual, lineResidual);
      for (let k = 0; k < POINTS_PER_LINE; k++) {
        const i = done * POINTS_PER_LINE + k;
        z.set(zl.subarray(10 * k, 10 * k + 10), 10 * i);
        grad.set(gl.subarray(10 * k, 10 * k + 10), 10 * i);
        const pa = patch[i];
        let best = -1;
        let dep = 0;
        for (let j = 0; j < N_COORDS; j++) {
          if (j === pa) continue;
          const m = gl[10 * k + 2 * j] ** 2 + gl[10 * k + 2 * j + 1] ** 2;
          if (m > best) {
            best = m;
            dep = j;
          }
        }
        dependent[i] = dep;
        omega2[i] = omegaSquared(grad, 10 * i, dep);
        detFS[i] = fubiniStudyOnX(z, grad, 10 * i, pa, dep, g3);
        weight[i] = omega2[i] / detFS[i];
      }
      done++;
    }
    if (done === lines) break;
  }
  const next: SamplerPosition = {
    lines: from.lines + lines,
    // the line after the last one tried (the block's end: the next block's first line)
    block: l < LINES_PER_CHUNK ? c : c + 1,
    line: l < LINES_PER_CHUNK ? l : 0,
    rejectedLines: from.rejectedLines + rejected,
    maxResidual: Math.max(from.maxResidual, maxResidual),
  };
  return { points: { ...ps, maxResidual, rejectedLines: rejected }, next };
}
