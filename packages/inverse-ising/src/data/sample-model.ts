// Fresh samples of a model description from @physml/mcmc-gpu's model sampler, laid out
// [chain][sample][site] so that contiguous jackknife blocks hold whole chains.
import {
  checkInt,
  defineModel,
  type Model,
  type ModelInput,
  STANDARD_SQUARE_SHAPES,
  squareLattice,
  TERM_NAMES,
  type TermName,
} from "@physml/lattice-core";
import { createModelSampler, createSampler, type ModelSamplerOptions } from "@physml/mcmc-gpu";
import type { Samples } from "./samples.js";

/** Options of {@link sampleModel}. */
export interface SampleModelOptions {
  /** Independent chains (default 64; a multiple of the jackknife blocks keeps chains whole). */
  chains?: number;
  /** Configurations kept per chain (default 32). */
  samplesPerChain?: number;
  /** Thermalisation sweeps from a cold start (default 500). */
  warmupSweeps?: number;
  /** Sweeps between kept configurations (default 4). */
  every?: number;
  seed: number;
  /** `cpu` (default), `webgpu` or `auto`: the same chains bit for bit. */
  backend?: ModelSamplerOptions["backend"];
}

/** Samples plus how they were made. */
export interface SampledData extends Samples {
  chains: number;
  samplesPerChain: number;
  backend: string;
  seconds: number;
}

/**
 * Runs Metropolis chains of `model` (its couplings are the truth) and keeps every `every`-th
 * configuration after the warm-up: the standard square model on mcmc-gpu's `createSampler`
 * (threaded checkerboard kernels), any other description on `createModelSampler`.
 */
export async function sampleModel(model: Model | ModelInput, opts: SampleModelOptions): Promise<SampledData> {
  const t0 = performance.now();
  const m = defineModel(model);
  const chains = checkInt("chains", opts.chains ?? 64, 1, 1 << 16);
  const S = checkInt("samplesPerChain", opts.samplesPerChain ?? 32, 1, 1 << 20);
  const warm = checkInt("warmupSweeps", opts.warmupSweeps ?? 500, 0, 1e7);
  const every = checkInt("every", opts.every ?? 4, 1, 1e5);
  const standard = standardCouplings(m);
  const base = { spins: new Int8Array(0), count: chains * S, chains, samplesPerChain: S };
  if (standard && m.lattice.kind === "square") {
    // The standard square terms: mcmc-gpu's multi-threaded checkerboard kernels.
    const sampler = await createSampler({
      lattice: squareLattice(m.lattice.Lx, m.lattice.Ly),
      couplings: standard,
      chains,
      seed: opts.seed,
      init: "cold",
      colouring: 4,
      ...(opts.backend ? { backend: opts.backend } : { backend: "cpu" }),
    });
    try {
      await sampler.sweep(warm);
      const r = await sampler.measure({ sweeps: S * every, every, configurations: true });
      const spins = r.configurations as Int8Array;
      const seconds = (performance.now() - t0) / 1000;
      return { ...base, spins, sites: spins.length / (chains * S), backend: sampler.backend, seconds };
    } finally {
      await sampler.dispose();
    }
  }
  const sampler = await createModelSampler({
    model: m,
    chains,
    seed: opts.seed,
    init: "cold",
    ...(opts.backend ? { backend: opts.backend } : {}),
  });
  try {
    const N = (await sampler.snapshot()).length / chains;
    const spins = new Int8Array(chains * S * N);
    await sampler.sweep(warm);
    for (let k = 0; k < S; k++) {
      await sampler.sweep(every);
      const conf = (await sampler.snapshot()) as Int8Array;
      for (let c = 0; c < chains; c++) spins.set(conf.subarray(c * N, (c + 1) * N), (c * S + k) * N);
    }
    return { ...base, spins, sites: N, backend: sampler.backend, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await sampler.dispose();
  }
}

/**
 * The couplings by standard term name when the model is the standard square model (even sides,
 * periodic, only the standard terms with their standard shapes), else null.
 */
function standardCouplings(m: Model): Partial<Record<TermName, number>> | null {
  if (m.lattice.kind !== "square" || m.lattice.twist || m.lattice.Lx % 2 || m.lattice.Ly % 2) return null;
  const out: Partial<Record<TermName, number>> = {};
  for (const t of m.terms) {
    const name = t.name as TermName;
    if (
      !TERM_NAMES.includes(name) ||
      JSON.stringify(t.shapes) !== JSON.stringify(STANDARD_SQUARE_SHAPES[name])
    )
      return null;
    out[name] = t.coupling;
  }
  return out;
}
