// The line-based duality end to end: sample the original model (nn + plaquette + diagonal nnn),
// measure its disorder-line correlators, fit the dual nn + nnn Hamiltonian to them, compare with
// Kramers–Wannier where it applies (κ = λ = 0).
import {
  checkInt,
  dualCoupling,
  kaufmanTwistSectors,
  PhysmlInputError,
  plural,
  seedPlus,
} from "@physml/lattice-core";
import { sampleModel } from "../data/sample-model.js";
import type { CouplingCovariance } from "./coupling-covariance.js";
import { disorderLineSeries, type LineEndpoints } from "./disorder.js";
import { type DualFit, matchDualCouplings } from "./dual-fit.js";
import { deformedOriginal } from "./original.js";
import {
  blockMeans,
  combineSectors,
  dualTarget,
  jackknifeDual,
  KEYS,
  type SectorBlocks,
} from "./sector-blocks.js";

/** Options of {@link lineDuality}. */
export interface LineDualityOptions {
  L: number;
  beta: number;
  /** Plaquette coupling κ of the original (default 0). */
  plaquette?: number;
  /** Diagonal (next-to-nearest-neighbour) coupling λ of the original (default 0). */
  nnn?: number;
  seed: number;
  /**
   * Original configurations of the heaviest boundary sector (default 4096 = 64 chains × 64); the
   * other twist sectors get a share proportional to their weight (see `sectorSamples`).
   */
  samplesCount?: number;
  /**
   * "twist-sum": the original summed over its four Z2 boundary twists with Kaufman's exact weights
   * (κ = λ = 0 only), which makes the map to the periodic dual exact on the torus; "periodic":
   * the plain torus. Default: twist-sum at κ = λ = 0, else periodic.
   */
  boundary?: "twist-sum" | "periodic";
  /**
   * "by-weight" (default): sector k gets ⌈S·w_k/w_max⌉ samples per chain (at least 1), the
   * sampling share that minimises the twist sum's variance Σ w_k²σ_k²/n_k at a given cost when
   * the sectors' σ_k are alike; "equal": S per chain in every sector. Either way the weighted sum
   * of sector means is the same unbiased estimator; only its variance and cost differ.
   */
  sectorSamples?: "by-weight" | "equal";
  /**
   * What a line's endpoint plaquettes flip when κ or λ ≠ 0: "half" (default; the topological
   * rule, whose correlators are one dual Hamiltonian's) or "cut-link" (the rule until 4 Dec 2026).
   */
  endpoints?: LineEndpoints;
  /**
   * The dual family of the main fit: "nn+nnn" (default; g3 is then a check) or "nn+nnn+d2" (also
   * the straight distance-2 coupling, matching g3: the plaquette deformation's dual needs it).
   */
  dualTerms?: DualTerms;
  /** Dual samples per chain (64 chains) per Newton iteration (default 64). */
  dualSamplesPerChain?: number;
  /** Hears one line per finished stage (each sector sampled and its lines evaluated, each dual fit): a run's progress. */
  onProgress?: (message: string) => void;
  /** The dual fits' moments: "sampled" (default) or "exact" (density of states, 2 ≤ L ≤ 4). */
  dualMoments?: "sampled" | "exact";
  /**
   * Also refit the dual with each original chain left out (in every sector) and report the
   * jackknife covariance of the couplings next to the propagated one (for whichever `dualTerms`).
   * Needs `dualMoments: "exact"`.
   */
  jackknife?: boolean;
}

type Est = { value: number; error: number };

/** The dual families {@link lineDuality} fits. */
export type DualTerms = "nn+nnn" | "nn+nnn+d2";

/** Result of {@link lineDuality}. */
export interface LineDualityResult {
  L: number;
  beta: number;
  /** Plaquette coupling κ of the original. */
  plaquette: number;
  nnn: number;
  boundary: "twist-sum" | "periodic";
  endpoints: LineEndpoints;
  dualTerms: DualTerms;
  /** Sector weights [periodic, x, y, both] (twist-sum only). */
  sectorWeights?: number[];
  /** Configurations sampled per sector, same order (twist-sum only). */
  sectorSamples?: number[];
  /** Disorder-line correlators of the original: the targets g1, g2 (g3 with d2) and the checks. */
  lines: { g1: Est; g2: Est; g2PathA: Est; g2PathB: Est; g3: Est; g4: Est };
  /** The dual nn + nnn Hamiltonian matching g1 and g2 (with d2: + t_d2, matching g3 too). */
  dual: DualFit;
  /** The dual nn Hamiltonian matching g1 alone (t_nnn = 0): the sharper test of Kramers–Wannier. */
  dualNnOnly: DualFit;
  /** Kramers–Wannier at κ = λ = 0: β̃ and |t_nn − β̃|/β̃ of both fits. */
  /**
   * Jackknife covariances over the original's chains (`blocks` of them), a resampling check of the
   * propagated `dual.covariance` and `dualNnOnly.covariance` (absent when a refit's is not finite).
   */
  jackknife?: { blocks: number; dual?: CouplingCovariance; dualNnOnly?: CouplingCovariance };
  kw?: { dualBeta: number; relativeError: number; relativeErrorNnOnly: number };
  seconds: number;
  /** Where the wall time went: sampling the original (all sectors), evaluating its lines, the dual fits (with the jackknife refits). */
  timing: { sampling: number; lines: number; dualFits: number };
}

/**
 * Disorder-line correlators of the nn + plaquette + nnn model at (β, κ, λ) on the L × L torus,
 * and the nn + nnn dual Hamiltonian that reproduces them.
 */
export async function lineDuality(opts: LineDualityOptions): Promise<LineDualityResult> {
  const t0 = performance.now();
  const { L, beta, seed } = opts;
  const kappa = opts.plaquette ?? 0;
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
  const endpoints = opts.endpoints ?? "half";
  const dualMoments = opts.dualMoments ?? "sampled";
  if (opts.jackknife && dualMoments !== "exact") {
    throw new PhysmlInputError(
      "jackknife",
      'false unless dualMoments is "exact" (a sampled refit per block adds its own Monte Carlo noise, magnified (B − 1)-fold)',
      opts.jackknife,
    );
  }
  const dualTerms = opts.dualTerms ?? "nn+nnn";
  const d2 = dualTerms === "nn+nnn+d2";
  // Before sampling: exact dual moments enumerate 2^(L²) states.
  if (dualMoments === "exact") checkInt("L", L, 2, 4);
  const chains = 64;
  const perChain = Math.ceil((opts.samplesCount ?? 4096) / chains);
  const sectors =
    boundary === "twist-sum"
      ? kaufmanTwistSectors(L, L, beta).map((s) => ({ twist: s.twist, weight: s.weight }))
      : [{ twist: [false, false] as [boolean, boolean], weight: 1 }];
  const timing = { sampling: 0, lines: 0, dualFits: 0 };
  const say = opts.onProgress ?? (() => {});
  const sectorBlocks: SectorBlocks[] = [];
  const wMax = Math.max(...sectors.map((x) => x.weight));
  const byWeight = (opts.sectorSamples ?? "by-weight") === "by-weight";
  const sampled = sectors.map((x) =>
    x.weight === 0 ? 0 : byWeight ? Math.max(1, Math.ceil((perChain * x.weight) / wMax)) : perChain,
  );
  for (const [k, sector] of sectors.entries()) {
    if (sector.weight === 0) continue;
    const d = await sampleModel(deformedOriginal(L, { nn: beta, plaquette: kappa, nnn }, sector.twist), {
      chains,
      samplesPerChain: sampled[k],
      warmupSweeps: 500,
      every: 2,
      seed: seedPlus(seed, k * 0x10000000),
    });
    timing.sampling += d.seconds;
    const tl = performance.now();
    const blocks = blockMeans(
      disorderLineSeries(d.spins, L, { nn: beta, plaquette: kappa, nnn }, sector.twist, endpoints),
      chains,
    );
    const lineSeconds = (performance.now() - tl) / 1000;
    timing.lines += lineSeconds;
    sectorBlocks.push({ weight: sector.weight, blocks });
    say(
      `sector ${k + 1}/${sectors.length}: ${plural(chains * sampled[k], "configuration")} sampled in ${d.seconds.toFixed(1)} s, lines evaluated in ${lineSeconds.toFixed(1)} s`,
    );
  }
  const { mean, cov } = combineSectors(sectorBlocks);
  const est = (i: number): Est => ({ value: mean[i], error: Math.sqrt(cov[i * KEYS.length + i]) });
  const td = performance.now();
  const fitOpts = {
    moments: dualMoments,
    ...(opts.dualSamplesPerChain ? { samplesPerChain: opts.dualSamplesPerChain } : {}),
  };
  const dual = await matchDualCouplings(L, dualTarget({ mean, cov }), {
    ...fitOpts,
    seed: seedPlus(seed, 0x40000000),
    d2,
  });
  say(`dual ${dualTerms} fitted (${((performance.now() - td) / 1000).toFixed(1)} s)`);
  const dualNnOnly = await matchDualCouplings(L, dualTarget({ mean, cov }), {
    ...fitOpts,
    seed: seedPlus(seed, 0x50000000),
    nnn: false,
  });
  say(`dual nn only fitted (${((performance.now() - td) / 1000).toFixed(1)} s)`);
  const jackknife = opts.jackknife
    ? {
        blocks: chains,
        dual: await jackknifeDual(L, sectorBlocks, dual, true),
        dualNnOnly: await jackknifeDual(L, sectorBlocks, dualNnOnly, false),
      }
    : undefined;
  timing.dualFits = (performance.now() - td) / 1000;
  const dualBeta = pureNn ? dualCoupling(beta) : undefined;
  return {
    L,
    beta,
    plaquette: kappa,
    nnn,
    boundary,
    endpoints,
    dualTerms,
    ...(boundary === "twist-sum"
      ? { sectorWeights: sectors.map((s) => s.weight), sectorSamples: sampled.map((n) => n * chains) }
      : {}),
    lines: { g1: est(0), g2: est(1), g2PathA: est(2), g2PathB: est(3), g3: est(4), g4: est(5) },
    dual,
    dualNnOnly,
    ...(jackknife ? { jackknife } : {}),
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
    timing,
  };
}
