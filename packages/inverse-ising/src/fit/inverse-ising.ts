// Inverse Ising by pseudo-likelihood (Besag; Aurell–Ekeberg 2012): maximise the mean over
// samples and sites of log P(s_i | rest) = log σ(2 s_i h_i), h_i the local field the model
// description derives. Its stationarity condition is the consistency relation
// ⟨D_t⟩ = ⟨tanh-weighted D_t⟩, no model sampling needed. Errors: jackknife over blocks of samples.
import { checkInt, defineModel, type Model, type ModelInput, PhysmlInputError } from "@physml/lattice-core";
import { checkSamples, type Samples } from "../data/samples.js";
import { type NewtonOptions, newtonFit } from "./newton.js";
import { localPatterns, type Patterns } from "./patterns.js";

/** Options of {@link inverseIsing}. */
export interface InverseIsingOptions extends NewtonOptions {
  /**
   * Jackknife blocks: contiguous runs of samples, so put samples of one chain next to each
   * other and use blocks much longer than the autocorrelation time (default min(16, M)).
   */
  blocks?: number;
  /** Starting couplings, one per term (default all 0: the fit needs no prior knowledge). */
  start?: ArrayLike<number>;
}

/** One recovered coupling. */
export interface CouplingEstimate {
  name: string;
  value: number;
  /** One-σ jackknife error over the blocks. */
  error: number;
}

/** Result of {@link inverseIsing}. */
export interface InverseIsingResult {
  terms: CouplingEstimate[];
  /** Newton steps of the full fit. */
  iterations: number;
  /** The full fit and every leave-one-block-out fit reached the optimum. */
  converged: boolean;
  /** max_t |∂F/∂c_t| at the full fit (0 at the optimum). */
  gradientNorm: number;
  /** Mean log pseudo-likelihood per (sample, site) at the optimum. */
  logPseudoLikelihood: number;
  samples: number;
  sites: number;
  blocks: number;
  /** Distinct local patterns in the data (the size of the compressed problem). */
  patterns: number;
  seconds: number;
}

function fitBlocks(p: Patterns, names: string[], start: ArrayLike<number>, opts: NewtonOptions) {
  const P = p.nPatterns;
  const B = p.blocks;
  const total = new Float64Array(P);
  for (let q = 0; q < P; q++) for (let b = 0; b < B; b++) total[q] += p.counts[q * B + b];
  const full = newtonFit(p.D, total, start, names, opts);
  const loo: Float64Array[] = [];
  let allConverged = full.converged;
  const w = new Float64Array(P);
  for (let b = 0; b < B; b++) {
    for (let q = 0; q < P; q++) w[q] = total[q] - p.counts[q * B + b];
    const r = newtonFit(p.D, w, full.couplings, names, opts);
    allConverged &&= r.converged;
    loo.push(r.couplings);
  }
  const n = names.length;
  const errors = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let mean = 0;
    for (const c of loo) mean += c[t] / B;
    let ss = 0;
    for (const c of loo) ss += (c[t] - mean) ** 2;
    errors[t] = Math.sqrt(((B - 1) / B) * ss);
  }
  return { full, errors, allConverged };
}

/**
 * Recovers the couplings of an Ising model description from samples by maximising the
 * pseudo-likelihood with Newton's method; the model's own couplings are ignored (only its
 * lattice and term shapes matter). `samples` is an Int8Array of ±1, [sample][site].
 *
 * @example
 * const model = standardSquareModel(16, 16, { nn: 0.3, plaquette: 0, nnn: 0.05, field: 0 });
 * const r = inverseIsing(model, spins); // r.terms: [{ name: "nn", value, error }, …]
 */
export function inverseIsing(
  model: Model | ModelInput,
  samples: Int8Array | Samples,
  opts: InverseIsingOptions = {},
): InverseIsingResult {
  const t0 = performance.now();
  const m = defineModel(model);
  const s = samples instanceof Int8Array ? checkSamples(m, samples) : samples;
  if (s.count < 2)
    throw new PhysmlInputError("samples", "at least 2 configurations (for error bars)", s.count);
  const blocks = checkInt("blocks", opts.blocks ?? Math.min(16, s.count), 2, s.count);
  const names = m.terms.map((t) => t.name);
  const start = opts.start ?? new Float64Array(names.length);
  if (start.length !== names.length) {
    throw new PhysmlInputError("start.length", `${names.length} (one per term)`, start.length);
  }
  const patterns = localPatterns(m, s, blocks);
  const { full, errors, allConverged } = fitBlocks(patterns, names, start, opts);
  return {
    terms: names.map((name, t) => ({ name, value: full.couplings[t], error: errors[t] })),
    iterations: full.iterations,
    converged: allConverged,
    gradientNorm: full.gradientNorm,
    logPseudoLikelihood: -full.value,
    samples: s.count,
    sites: s.sites,
    blocks,
    patterns: patterns.nPatterns,
    seconds: (performance.now() - t0) / 1000,
  };
}
