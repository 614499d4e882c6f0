// The dual Hamiltonian H* = −t_nn Σ s*s* − t_nnn Σ_diag s*s* whose spin correlators match the
// disorder-line correlators: its sufficient statistics are S*_nn and S*_nnn, so matching
// ⟨S*_nn⟩/2N = g1 and ⟨S*_nnn⟩/2N = g2 is the maximum-likelihood (inverse Ising) condition,
// solved by Newton's method on the moments: Δt = C⁻¹(g − ⟨S*⟩_t/2N), C = Cov(S*)/2N from the
// dual model's own Metropolis samples (mcmc-gpu) at the current t.
import { squareLattice } from "@physml/lattice-core";
import { createSampler } from "@physml/mcmc-gpu";
import { cholesky, choleskySolve } from "../fit/newton.js";
import { type CouplingCovariance, couplingCovariance } from "./coupling-covariance.js";
import { exactDualMoments } from "./exact-dual.js";

/** Options of {@link matchDualCouplings}. */
export interface DualFitOptions {
  seed: number;
  /** Dual chains (default 64) and samples per chain per iteration (default 64, every 2 sweeps). */
  chains?: number;
  samplesPerChain?: number;
  /** Newton iterations at most (default 12). */
  iterations?: number;
  /** Start (default (0.3, 0), in the disordered phase: no knowledge of the answer). */
  start?: [number, number];
  /** Fit t_nnn too (default true); false keeps t_nnn = 0 and matches g1 alone. */
  nnn?: boolean;
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
  /**
   * Cov(t) = C⁻¹ Σ C⁻¹ from the same propagation as the errors (its diagonal is their square):
   * 2 × 2 over (nn, nnn), or 1 × 1 over nn when t_nnn is held at 0. Absent when C is singular,
   * with the reason in `covarianceUnavailable`.
   */
  covariance?: CouplingCovariance;
  covarianceUnavailable?: string;
  /** The dual model's correlators at the result (g1, g2, g3 = two straight steps) ± MC errors, fresh samples. */
  dual: { g1: number; g2: number; g3: number; g1Error: number; g2Error: number; g3Error: number };
  iterations: number;
  history: { tNn: number; tNnn: number; g1: number; g2: number }[];
}

interface Moments {
  g: [number, number];
  cov: Float64Array;
  errors: [number, number, number];
  /** Covariance of the means of g1 and g2 over chains (2 × 2 row-major): their Monte Carlo noise. */
  meanCov: [number, number, number, number];
  g3: number;
}

async function dualMoments(
  L: number,
  t: [number, number],
  seed: number,
  chains: number,
  S: number,
): Promise<Moments> {
  const lattice = squareLattice(L);
  const N = L * L;
  const sampler = await createSampler({
    lattice,
    couplings: { nn: t[0], nnn: t[1] },
    chains,
    seed,
    init: "cold",
    colouring: 4,
    backend: "cpu",
  });
  try {
    await sampler.sweep(300);
    const m = await sampler.measure({ sweeps: 2 * S, every: 2, configurations: true });
    const n = chains * S;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    const c3 = new Float64Array(n);
    const conf = m.configurations as Int8Array;
    for (let k = 0; k < n; k++) {
      a[k] = m.terms[k * 4 + 0] / (2 * N);
      b[k] = m.terms[k * 4 + 2] / (2 * N);
      let acc = 0;
      const o = k * N;
      for (let y = 0; y < L; y++)
        for (let x = 0; x < L; x++)
          acc += conf[o + x + L * y] * (conf[o + ((x + 2) % L) + L * y] + conf[o + x + L * ((y + 2) % L)]);
      c3[k] = acc / (2 * N);
    }
    const mean = (z: Float64Array) => z.reduce((p, q) => p + q, 0) / n;
    const ma = mean(a);
    const mb = mean(b);
    const cov = new Float64Array(4);
    for (let k = 0; k < n; k++) {
      const da = a[k] - ma;
      const db = b[k] - mb;
      cov[0] += (da * da) / n;
      cov[1] += (da * db) / n;
      cov[3] += (db * db) / n;
    }
    cov[2] = cov[1];
    // Covariances of the means over chains (chains are independent; samples within one are not).
    const chainMeans = (z: Float64Array) =>
      Array.from({ length: chains }, (_, c) => z.subarray(c * S, (c + 1) * S).reduce((p, q) => p + q, 0) / S);
    const chainCov = (x: number[], y: number[]) => {
      const mx = x.reduce((p, q) => p + q, 0) / chains;
      const my = y.reduce((p, q) => p + q, 0) / chains;
      return x.reduce((p, q, c) => p + (q - mx) * (y[c] - my), 0) / (chains - 1) / chains;
    };
    const [pa, pb, pc] = [chainMeans(a), chainMeans(b), chainMeans(c3)];
    const ab = chainCov(pa, pb);
    const meanCov: Moments["meanCov"] = [chainCov(pa, pa), ab, ab, chainCov(pb, pb)];
    // d⟨S_k/2N⟩/dt_l = Cov(S_k, S_l)/2N = 2N·Cov(S_k/2N, S_l/2N).
    for (let j = 0; j < 4; j++) cov[j] *= 2 * N;
    const errors: Moments["errors"] = [
      Math.sqrt(meanCov[0]),
      Math.sqrt(meanCov[3]),
      Math.sqrt(chainCov(pc, pc)),
    ];
    return { g: [ma, mb], cov, errors, meanCov, g3: mean(c3) };
  } finally {
    await sampler.dispose();
  }
}

/** Exact moments in the sampled moments' shape, with zero Monte Carlo noise. */
function exactMoments(L: number, t: [number, number]): Moments {
  const e = exactDualMoments(L, t);
  return { g: e.g, cov: e.cov, errors: [0, 0, 0], meanCov: [0, 0, 0, 0], g3: e.g3 };
}

/** The Newton step on the moments (t_nnn held at its value when `withNnn` is false), or null when singular. */
function newtonStep(m: Moments, target: { g1: number; g2: number }, withNnn: boolean): Float64Array | null {
  if (!withNnn) return m.cov[0] > 0 ? Float64Array.of((target.g1 - m.g[0]) / m.cov[0], 0) : null;
  const Lc = cholesky(m.cov, 2);
  return Lc ? choleskySolve(Lc, 2, [target.g1 - m.g[0], target.g2 - m.g[1]]) : null;
}

/**
 * Dual couplings (t_nn, t_nnn) on the periodic L × L torus whose nn and diagonal spin correlators
 * equal the targets g1, g2 (with their covariance `targetCov`, 2 × 2 row-major, for the errors).
 */
export async function matchDualCouplings(
  L: number,
  target: { g1: number; g2: number; cov: ArrayLike<number> },
  opts: DualFitOptions,
): Promise<DualFit> {
  const chains = opts.chains ?? 64;
  const S = opts.samplesPerChain ?? 64;
  const maxIt = opts.iterations ?? 12;
  const withNnn = opts.nnn ?? true;
  let t: [number, number] = opts.start ?? [0.3, 0];
  const exact = opts.moments === "exact";
  const moments = (at: [number, number], seed: number) =>
    exact ? exactMoments(L, at) : dualMoments(L, at, seed, chains, S);
  const history: DualFit["history"] = [];
  let m = await moments(t, opts.seed);
  let it = 0;
  for (; it < maxIt; it++) {
    history.push({ tNn: t[0], tNnn: t[1], g1: m.g[0], g2: m.g[1] });
    const newton = newtonStep(m, target, withNnn);
    // Frozen chains (no fluctuation, singular covariance): step t_nn towards the target by hand.
    const step = newton ?? Float64Array.of(Math.sign(target.g1 - m.g[0]) * 0.2, 0);
    const len = Math.max(Math.abs(step[0]), Math.abs(step[1]));
    const scale = len > 0.2 ? 0.2 / len : 1;
    t = [t[0] + scale * step[0], t[1] + scale * step[1]];
    m = await moments(t, opts.seed + 1 + it);
    // Exact moments: Newton converges quadratically; stop at rounding level.
    if (exact && scale === 1 && Math.max(Math.abs(step[0]), Math.abs(step[1])) < 1e-13) {
      it++;
      break;
    }
    // Stop once the step is below the statistical resolution of the moments.
    const resolution = newtonStep(
      { ...m, g: [m.g[0] - m.errors[0], m.g[1] - m.errors[1]] },
      { g1: m.g[0], g2: m.g[1] },
      withNnn,
    ) ?? [0, 0];
    if (
      newton !== null &&
      scale === 1 &&
      Math.abs(step[0]) < Math.abs(resolution[0]) &&
      Math.abs(step[1]) < Math.abs(resolution[1])
    ) {
      it++;
      break;
    }
  }
  history.push({ tNn: t[0], tNnn: t[1], g1: m.g[0], g2: m.g[1] });
  // One last Newton correction from the final moments (its noise is in the error below).
  const last = newtonStep(m, target, withNnn);
  if (last) {
    const step = last;
    t = [t[0] + step[0], t[1] + step[1]];
    m = await moments(t, opts.seed + 0x5eed);
    history.push({ tNn: t[0], tNnn: t[1], g1: m.g[0], g2: m.g[1] });
  }
  // δt = C⁻¹ δg: the target's covariance plus the dual moments' MC noise (independent of the
  // target's; its own g1–g2 covariance included, which in an ordered dual is strongly positive).
  const Cinv = withNnn
    ? (() => {
        const d = m.cov[0] * m.cov[3] - m.cov[1] * m.cov[2];
        return [m.cov[3] / d, -m.cov[1] / d, -m.cov[2] / d, m.cov[0] / d];
      })()
    : [1 / m.cov[0], 0, 0, 0];
  const tc = target.cov;
  const tot = [0, 1, 2, 3].map((j) => tc[j] + m.meanCov[j]);
  const varT = (r: number) => {
    let v = 0;
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) v += Cinv[r * 2 + i] * tot[i * 2 + j] * Cinv[r * 2 + j];
    return Number.isFinite(v) ? Math.sqrt(v) : Number.MAX_VALUE;
  };
  const cov = withNnn
    ? couplingCovariance(["nn", "nnn"], Cinv, tot)
    : couplingCovariance(["nn"], [Cinv[0]], [tot[0]]);
  return {
    tNn: t[0],
    tNnn: t[1],
    tNnError: varT(0),
    tNnnError: varT(1),
    ...cov,
    dual: {
      g1: m.g[0],
      g2: m.g[1],
      g3: m.g3,
      g1Error: m.errors[0],
      g2Error: m.errors[1],
      g3Error: m.errors[2],
    },
    iterations: it,
    history,
  };
}
