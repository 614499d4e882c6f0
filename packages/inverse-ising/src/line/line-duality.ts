// The line-based duality end to end: sample the original model (nn + plaquette + diagonal nnn),
// measure its disorder-line correlators, fit the dual nn + nnn Hamiltonian to them, compare with
// Kramers–Wannier where it applies (κ = λ = 0).
import {
  dualCoupling,
  kaufmanTwistSectors,
  PhysmlInputError,
  STANDARD_SQUARE_SHAPES,
} from "@physml/lattice-core";
import { sampleModel } from "../data/sample-model.js";
import { disorderLineSeries } from "./disorder.js";
import { type DualFit, matchDualCouplings } from "./dual-fit.js";

/** Options of {@link lineDuality}. */
export interface LineDualityOptions {
  L: number;
  beta: number;
  /** Plaquette coupling κ of the original (default 0). */
  kappa?: number;
  /** Diagonal (next-to-nearest-neighbour) coupling λ of the original (default 0). */
  nnn?: number;
  seed: number;
  /** Original configurations per boundary sector (default 4096 = 64 chains × 64). */
  samplesCount?: number;
  /**
   * "twist-sum": the original summed over its four Z2 boundary twists with Kaufman's exact weights
   * (κ = λ = 0 only), which makes the map to the periodic dual exact on the torus; "periodic":
   * the plain torus. Default: twist-sum at κ = λ = 0, else periodic.
   */
  boundary?: "twist-sum" | "periodic";
  /** Dual samples per chain (64 chains) per Newton iteration (default 64). */
  dualSamplesPerChain?: number;
}

type Est = { value: number; error: number };

/** Result of {@link lineDuality}. */
export interface LineDualityResult {
  L: number;
  beta: number;
  kappa: number;
  nnn: number;
  boundary: "twist-sum" | "periodic";
  /** Sector weights [periodic, x, y, both] (twist-sum only). */
  sectorWeights?: number[];
  /** Disorder-line correlators of the original: the targets g1, g2 and the checks. */
  lines: { g1: Est; g2: Est; g2PathA: Est; g2PathB: Est; g3: Est };
  /** The dual nn + nnn Hamiltonian matching g1 and g2. */
  dual: DualFit;
  /** The dual nn Hamiltonian matching g1 alone (t_nnn = 0): the sharper test of Kramers–Wannier. */
  dualNnOnly: DualFit;
  /** Kramers–Wannier at κ = λ = 0: β̃ and |t_nn − β̃|/β̃ of both fits. */
  kw?: { dualBeta: number; relativeError: number; relativeErrorNnOnly: number };
  seconds: number;
}

const KEYS = ["g1", "g2", "g2PathA", "g2PathB", "g3"] as const;

/** Block means (64 contiguous blocks = whole chains) of each series, for means and covariances. */
function blockMeans(series: Record<(typeof KEYS)[number], Float64Array>, blocks: number) {
  const n = series.g1.length;
  return KEYS.map((k) =>
    Float64Array.from({ length: blocks }, (_, b) => {
      const a0 = Math.floor((b * n) / blocks);
      const a1 = Math.floor(((b + 1) * n) / blocks);
      let s = 0;
      for (let a = a0; a < a1; a++) s += series[k][a];
      return s / (a1 - a0);
    }),
  );
}

/**
 * Disorder-line correlators of the nn + plaquette + nnn model at (β, κ, λ) on the L × L torus,
 * and the nn + nnn dual Hamiltonian that reproduces them.
 */
export async function lineDuality(opts: LineDualityOptions): Promise<LineDualityResult> {
  const t0 = performance.now();
  const { L, beta, seed } = opts;
  const kappa = opts.kappa ?? 0;
  const nnn = opts.nnn ?? 0;
  const pureNn = kappa === 0 && nnn === 0;
  const boundary = opts.boundary ?? (pureNn ? "twist-sum" : "periodic");
  if (boundary === "twist-sum" && !pureNn) {
    throw new PhysmlInputError(
      "boundary",
      '"periodic" when κ or λ ≠ 0 (exact sector weights need the pure nn model)',
      boundary,
    );
  }
  const chains = 64;
  const perChain = Math.ceil((opts.samplesCount ?? 4096) / chains);
  const sectors =
    boundary === "twist-sum"
      ? kaufmanTwistSectors(L, L, beta).map((s) => ({ twist: s.twist, weight: s.weight }))
      : [{ twist: [false, false] as [boolean, boolean], weight: 1 }];
  const mean = new Float64Array(KEYS.length);
  const cov = new Float64Array(KEYS.length * KEYS.length);
  for (const [k, sector] of sectors.entries()) {
    if (sector.weight === 0) continue;
    const d = await sampleModel(
      {
        spin: "ising",
        lattice: { square: [L, L], twist: sector.twist },
        terms: [
          { name: "nn", coupling: beta, shapes: STANDARD_SQUARE_SHAPES.nn },
          { name: "plaquette", coupling: kappa, shapes: STANDARD_SQUARE_SHAPES.plaquette },
          { name: "nnn", coupling: nnn, shapes: STANDARD_SQUARE_SHAPES.nnn },
        ],
      },
      { chains, samplesPerChain: perChain, warmupSweeps: 500, every: 2, seed: seed + k * 0x10000000 },
    );
    const bm = blockMeans(
      disorderLineSeries(d.spins, L, { nn: beta, plaquette: kappa, nnn }, sector.twist),
      chains,
    );
    const mu = bm.map((b) => b.reduce((p, q) => p + q, 0) / chains);
    const w = sector.weight;
    KEYS.forEach((_, i) => {
      mean[i] += w * mu[i];
      KEYS.forEach((__, j) => {
        let c = 0;
        for (let b = 0; b < chains; b++) c += (bm[i][b] - mu[i]) * (bm[j][b] - mu[j]);
        cov[i * KEYS.length + j] += (w * w * c) / (chains - 1) / chains;
      });
    });
  }
  const est = (i: number): Est => ({ value: mean[i], error: Math.sqrt(cov[i * KEYS.length + i]) });
  const nK = KEYS.length;
  const dual = await matchDualCouplings(
    L,
    { g1: mean[0], g2: mean[1], cov: [cov[0], cov[1], cov[nK], cov[nK + 1]] },
    {
      seed: seed + 0x40000000,
      ...(opts.dualSamplesPerChain ? { samplesPerChain: opts.dualSamplesPerChain } : {}),
    },
  );
  const dualNnOnly = await matchDualCouplings(
    L,
    { g1: mean[0], g2: mean[1], cov: [cov[0], cov[1], cov[nK], cov[nK + 1]] },
    {
      seed: seed + 0x50000000,
      nnn: false,
      ...(opts.dualSamplesPerChain ? { samplesPerChain: opts.dualSamplesPerChain } : {}),
    },
  );
  const dualBeta = pureNn ? dualCoupling(beta) : undefined;
  return {
    L,
    beta,
    kappa,
    nnn,
    boundary,
    ...(boundary === "twist-sum" ? { sectorWeights: sectors.map((s) => s.weight) } : {}),
    lines: { g1: est(0), g2: est(1), g2PathA: est(2), g2PathB: est(3), g3: est(4) },
    dual,
    dualNnOnly,
    ...(dualBeta !== undefined
      ? {
          kw: {
            dualBeta,
            relativeError: Math.abs(dual.tNn - dualBeta) / dualBeta,
            relativeErrorNnOnly: Math.abs(dualNnOnly.tNn - dualBeta) / dualBeta,
          },
        }
      : {}),
    seconds: (performance.now() - t0) / 1000,
  };
}
