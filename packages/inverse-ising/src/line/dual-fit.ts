// The dual Hamiltonian H* = −t_nn Σ s*s* − t_nnn Σ_diag s*s* (− t_d2 Σ_straight-2 s*s*, optional)
// whose spin correlators match the disorder-line correlators: its sufficient statistics are S*_nn,
// S*_nnn (and S*_d2), so matching ⟨S*_nn⟩/2N = g1, ⟨S*_nnn⟩/2N = g2 (and ⟨S*_d2⟩/2N = g3) is the
// maximum-likelihood (inverse Ising) condition, solved by Newton's method on the moments:
// Δt = C⁻¹(g − ⟨S*⟩_t/2N), C = Cov(S*)/2N from the dual model's own Metropolis samples at t.
import { STANDARD_SQUARE_SHAPES, seedPlus } from "@physml/lattice-core";
import { sampleModel } from "../data/sample-model.js";
import { cholesky, choleskySolve } from "../fit/newton.js";
import { type CouplingCovariance, couplingCovariance } from "./coupling-covariance.js";
import { exactDualMoments } from "./exact-dual.js";

/** The straight distance-2 pair along each axis: the dual d2 term's shapes. */
export const D2_SHAPES: [number, number][][] = [
  [
    [0, 0],
    [2, 0],
  ],
  [
    [0, 0],
    [0, 2],
  ],
];

/** Options of {@link matchDualCouplings}. */
export interface DualFitOptions {
  seed: number;
  /** Dual chains (default 64) and samples per chain per iteration (default 64, every 2 sweeps). */
  chains?: number;
  samplesPerChain?: number;
  /** Newton iterations at most (default 12). */
  iterations?: number;
  /**
   * Start (t_nn, t_nnn[, t_d2]) (default (0.3, 0, 0), in the disordered phase: no knowledge of
   * the answer); t_d2 defaults to 0.
   */
  start?: readonly [number, number] | readonly [number, number, number];
  /** Fit t_nnn too (default true); false keeps t_nnn = 0 and matches g1 alone. */
  nnn?: boolean;
  /** Fit the straight distance-2 coupling t_d2 too, matching g3 (default false: t_d2 = 0, g3 a check). */
  d2?: boolean;
  /**
   * "sampled" (default): the dual's moments from Metropolis chains. "exact": from its density of
   * states (2 ≤ L ≤ 4 only), so the fit is a deterministic function of the target and its errors
   * are the target's alone; `seed`, `chains` and `samplesPerChain` are then unused.
   */
  moments?: "sampled" | "exact";
}

/** Result of {@link matchDualCouplings}. */
export interface DualFit {
  tNn: number;
  tNnn: number;
  /** One-σ errors from the target's errors and the last iteration's Monte Carlo noise. */
  tNnError: number;
  tNnnError: number;
  /** The straight distance-2 coupling and its error, when fitted (`d2`). */
  tD2?: number;
  tD2Error?: number;
  /**
   * Cov(t) = C⁻¹ Σ C⁻¹ from the same propagation as the errors (its diagonal is their square):
   * over the fitted terms, (nn, nnn), (nn), or (nn, nnn, d2). Absent when C is singular,
   * with the reason in `covarianceUnavailable`.
   */
  covariance?: CouplingCovariance;
  covarianceUnavailable?: string;
  /**
   * The dual model's correlators at the result (g1, g2, g3 = two straight steps, g4 = a knight's
   * move (2, 1)) ± MC errors, fresh samples.
   */
  dual: {
    g1: number;
    g2: number;
    g3: number;
    g4: number;
    g1Error: number;
    g2Error: number;
    g3Error: number;
    g4Error: number;
  };
  iterations: number;
  history: { tNn: number; tNnn: number; g1: number; g2: number }[];
}

/** Moments of (g1, g2, g3) = (S_nn, S_nnn, S_d2)/2N at one t: all three, whichever are fitted. */
interface Moments {
  g: [number, number, number];
  /** 2N·Cov(g) (3 × 3 row-major): d⟨g⟩/dt. */
  cov: Float64Array;
  errors: [number, number, number];
  /** Covariance of the means of g over chains (3 × 3 row-major): their Monte Carlo noise. */
  meanCov: Float64Array;
  /** The knight's-move correlator (a check, never fitted) and its Monte Carlo error. */
  g4: number;
  g4Error: number;
}

async function dualMoments(
  L: number,
  t: [number, number, number],
  seed: number,
  chains: number,
  S: number,
): Promise<Moments> {
  const N = L * L;
  // Without a d2 coupling this is mcmc-gpu's standard-square sampler (as before d2 existed).
  const data = await sampleModel(
    {
      spin: "ising",
      lattice: { square: [L, L] },
      terms: [
        { name: "nn", coupling: t[0], shapes: STANDARD_SQUARE_SHAPES.nn },
        { name: "nnn", coupling: t[1], shapes: STANDARD_SQUARE_SHAPES.nnn },
        ...(t[2] !== 0 ? [{ name: "d2", coupling: t[2], shapes: D2_SHAPES }] : []),
      ],
    },
    { chains, samplesPerChain: S, warmupSweeps: 300, every: 2, seed },
  );
  const n = chains * S;
  const g = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const conf = data.spins;
  const at = (o: number, x: number, y: number) => conf[o + (x % L) + L * (y % L)];
  for (let k = 0; k < n; k++) {
    const o = k * N;
    let [nn, nnn, d2, kn] = [0, 0, 0, 0];
    for (let y = 0; y < L; y++)
      for (let x = 0; x < L; x++) {
        const v = conf[o + x + L * y];
        nn += v * (at(o, x + 1, y) + at(o, x, y + 1));
        nnn += v * (at(o, x + 1, y + 1) + at(o, x + 1, y + L - 1));
        d2 += v * (at(o, x + 2, y) + at(o, x, y + 2));
        kn += v * (at(o, x + 2, y + 1) + at(o, x + 1, y + 2));
      }
    [g[0][k], g[1][k], g[2][k], g[3][k]] = [nn / (2 * N), nnn / (2 * N), d2 / (2 * N), kn / (2 * N)];
  }
  const mean = (z: Float64Array) => z.reduce((p, q) => p + q, 0) / z.length;
  const mu = g.map(mean);
  const cov = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      let c = 0;
      for (let k = 0; k < n; k++) c += (g[i][k] - mu[i]) * (g[j][k] - mu[j]);
      // d⟨S_i/2N⟩/dt_j = Cov(S_i, S_j)/2N = 2N·Cov(S_i/2N, S_j/2N).
      cov[i * 3 + j] = (2 * N * c) / n;
    }
  // Covariances of the means over chains (chains are independent; samples within one are not).
  const chainMeans = g.map((z) =>
    Array.from({ length: chains }, (_, c) => z.subarray(c * S, (c + 1) * S).reduce((p, q) => p + q, 0) / S),
  );
  const meanCov = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      const [x, y] = [chainMeans[i], chainMeans[j]];
      const mx = x.reduce((p, q) => p + q, 0) / chains;
      const my = y.reduce((p, q) => p + q, 0) / chains;
      meanCov[i * 3 + j] = x.reduce((p, q, c) => p + (q - mx) * (y[c] - my), 0) / (chains - 1) / chains;
    }
  const errors: Moments["errors"] = [Math.sqrt(meanCov[0]), Math.sqrt(meanCov[4]), Math.sqrt(meanCov[8])];
  const kc = chainMeans[3];
  const km = kc.reduce((p, q) => p + q, 0) / chains;
  const g4Error = Math.sqrt(kc.reduce((p, q) => p + (q - km) ** 2, 0) / (chains - 1) / chains);
  return { g: [mu[0], mu[1], mu[2]], cov, errors, meanCov, g4: mu[3], g4Error };
}

/** Exact moments in the sampled moments' shape, with zero Monte Carlo noise. */
function exactMoments(L: number, t: [number, number, number]): Moments {
  const e = exactDualMoments(L, t);
  return {
    g: [e.g[0], e.g[1], e.g3],
    cov: e.cov3,
    errors: [0, 0, 0],
    meanCov: new Float64Array(9),
    g4: e.g4,
    g4Error: 0,
  };
}

/** Rows and columns `idx` of a 3 × 3 row-major matrix. */
const sub = (m: ArrayLike<number>, idx: number[]) => idx.flatMap((i) => idx.map((j) => m[i * 3 + j]));

/** The Newton step on the moments of the fitted terms `act` (the others held), or null when singular. */
function newtonStep(m: Moments, target: readonly number[], act: number[]): Float64Array | null {
  const k = act.length;
  const Lc = cholesky(Float64Array.from(sub(m.cov, act)), k);
  if (!Lc) return null;
  const d = choleskySolve(
    Lc,
    k,
    act.map((i) => target[i] - m.g[i]),
  );
  const step = new Float64Array(3);
  act.forEach((i, r) => {
    step[i] = d[r];
  });
  return step;
}

/**
 * Dual couplings (t_nn, t_nnn[, t_d2]) on the periodic L × L torus whose nn, diagonal (and
 * straight distance-2) spin correlators equal the targets g1, g2 (and g3). `cov`: the targets'
 * covariance for the errors, 2 × 2 over (g1, g2) or 3 × 3 over (g1, g2, g3), row-major.
 */
export async function matchDualCouplings(
  L: number,
  target: { g1: number; g2: number; g3?: number; cov: ArrayLike<number> },
  opts: DualFitOptions,
): Promise<DualFit> {
  const chains = opts.chains ?? 64;
  const S = opts.samplesPerChain ?? 64;
  const maxIt = opts.iterations ?? 12;
  const withNnn = opts.nnn ?? true;
  const withD2 = opts.d2 ?? false;
  // The fitted terms among (nn, nnn, d2).
  const act = [0, ...(withNnn ? [1] : []), ...(withD2 ? [2] : [])];
  const k = act.length;
  const goal = [target.g1, target.g2, target.g3 ?? Number.NaN];
  if (withD2 && !Number.isFinite(goal[2])) throw new Error("matchDualCouplings: d2 needs target.g3");
  const tcov = target.cov.length === 9 ? target.cov : sub3(target.cov);
  const start = opts.start ?? [0.3, 0];
  let t: [number, number, number] = [start[0], start[1], start[2] ?? 0];
  const exact = opts.moments === "exact";
  const moments = (at: [number, number, number], seed: number) =>
    exact ? exactMoments(L, at) : dualMoments(L, at, seed, chains, S);
  const history: DualFit["history"] = [];
  let m = await moments(t, opts.seed);
  let it = 0;
  // The stop rule compares (nn, nnn) as it did before d2 existed, so a held t_nnn (zero step, zero
  // resolution) never passes it and the nn-only fit runs all its iterations, as before.
  const checked = withD2 ? [0, 1, 2] : [0, 1];
  const small = (step: ArrayLike<number>, bound: ArrayLike<number>) =>
    checked.every((i) => Math.abs(step[i]) < Math.abs(bound[i]));
  for (; it < maxIt; it++) {
    history.push({ tNn: t[0], tNnn: t[1], g1: m.g[0], g2: m.g[1] });
    const newton = newtonStep(m, goal, act);
    // Frozen chains (no fluctuation, singular covariance): step t_nn towards the target by hand.
    const step = newton ?? Float64Array.of(Math.sign(goal[0] - m.g[0]) * 0.2, 0, 0);
    const len = Math.max(...Array.from(step, Math.abs));
    const scale = len > 0.2 ? 0.2 / len : 1;
    t = [t[0] + scale * step[0], t[1] + scale * step[1], t[2] + scale * step[2]];
    m = await moments(t, seedPlus(opts.seed, 1 + it));
    // Exact moments: Newton converges quadratically; stop at rounding level.
    if (exact && scale === 1 && len < 1e-13) {
      it++;
      break;
    }
    // Stop once the step is below the statistical resolution of the moments.
    const resolution = newtonStep(
      { ...m, g: [m.g[0] - m.errors[0], m.g[1] - m.errors[1], m.g[2] - m.errors[2]] },
      m.g,
      act,
    ) ?? [0, 0, 0];
    if (newton !== null && scale === 1 && small(step, resolution)) {
      it++;
      break;
    }
  }
  history.push({ tNn: t[0], tNnn: t[1], g1: m.g[0], g2: m.g[1] });
  // One last Newton correction from the final moments (its noise is in the error below).
  const last = newtonStep(m, goal, act);
  if (last) {
    t = [t[0] + last[0], t[1] + last[1], t[2] + last[2]];
    m = await moments(t, seedPlus(opts.seed, 0x5eed));
    history.push({ tNn: t[0], tNnn: t[1], g1: m.g[0], g2: m.g[1] });
  }
  // δt = C⁻¹ δg: the target's covariance plus the dual moments' MC noise (independent of the
  // target's; its own covariance included, which in an ordered dual is strongly positive).
  const Cinv = inverse(sub(m.cov, act), k);
  const tot = sub(
    Array.from({ length: 9 }, (_, j) => tcov[j] + m.meanCov[j]),
    act,
  );
  const names = ["nn", "nnn", "d2"];
  const cov = couplingCovariance(
    act.map((i) => names[i]),
    Cinv,
    tot,
  );
  const varT = (r: number) => {
    let v = 0;
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) v += Cinv[r * k + i] * tot[i * k + j] * Cinv[r * k + j];
    return Number.isFinite(v) ? Math.sqrt(v) : Number.MAX_VALUE;
  };
  return {
    tNn: t[0],
    tNnn: t[1],
    tNnError: varT(0),
    tNnnError: withNnn ? varT(1) : 0,
    ...(withD2 ? { tD2: t[2], tD2Error: varT(k - 1) } : {}),
    ...cov,
    dual: {
      g1: m.g[0],
      g2: m.g[1],
      g3: m.g[2],
      g4: m.g4,
      g1Error: m.errors[0],
      g2Error: m.errors[1],
      g3Error: m.errors[2],
      g4Error: m.g4Error,
    },
    iterations: it,
    history,
  };
}

/** A 2 × 2 row-major (g1, g2) covariance as 3 × 3 with g3 unknown (zero: only read when g3 is fitted). */
function sub3(c: ArrayLike<number>): number[] {
  return [c[0], c[1], 0, c[2], c[3], 0, 0, 0, 0];
}

/** Inverse of a k × k row-major matrix (k ≤ 3) by Gauss–Jordan; NaN entries when singular. */
function inverse(a: readonly number[], k: number): number[] {
  const A = Array.from({ length: k }, (_, r) => [
    ...a.slice(r * k, (r + 1) * k),
    ...Array.from({ length: k }, (_, c) => (c === r ? 1 : 0)),
  ]);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    const d = A[c][c];
    if (d === 0) return Array(k * k).fill(Number.NaN);
    for (let j = 0; j < 2 * k; j++) A[c][j] /= d;
    for (let r = 0; r < k; r++)
      if (r !== c) {
        const f = A[r][c];
        for (let j = 0; j < 2 * k; j++) A[r][j] -= f * A[c][j];
      }
  }
  return A.flatMap((row) => row.slice(k));
}
