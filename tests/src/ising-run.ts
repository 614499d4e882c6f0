// One short Ising run as the same sequence of calls wherever it runs: in a page on the browser's
// WebGPU (browser-page.ts) and in Node on Dawn or the CPU, so the results can be compared bit
// for bit. Results are plain arrays so that they cross from the page to Node as JSON.
import { type Couplings, squareLattice } from "@physml/lattice-core";
import type { GpuSamplerOptions, Sampler } from "@physml/mcmc-gpu";

/** A run: the sampler's options in JSON form. */
export interface IsingRunSpec {
  name: string;
  Lx: number;
  Ly: number;
  chains: number;
  couplings: Partial<Couplings> | Partial<Couplings>[];
  seed: number;
  init: "cold" | "hot";
  /** Replica exchange every this many sweeps; absent: none. */
  temperingEvery?: number;
}

/** What a run returns, every array in the sampler's order. */
export interface IsingRunResult {
  kernel: string;
  colours: number;
  terms: number[];
  features: number[];
  configurations: number[];
  snapshot: number[];
  sweepCount: number;
  /** Accepted exchanges per slot pair, or null without tempering. */
  exchangesAccepted: number[] | null;
}

/** The options of `createSampler`/`createGpuSampler` for a spec. */
export function samplerOptions(spec: IsingRunSpec): GpuSamplerOptions {
  return {
    lattice: squareLattice(spec.Lx, spec.Ly),
    chains: spec.chains,
    couplings: spec.couplings,
    seed: spec.seed,
    init: spec.init,
    ...(spec.temperingEvery === undefined ? {} : { tempering: { every: spec.temperingEvery } }),
  };
}

/** 10 sweeps, then 12 measured every 3 with configurations, then a snapshot; disposes the sampler. */
export async function runIsing(sampler: Sampler): Promise<IsingRunResult> {
  try {
    await sampler.sweep(10);
    const m = await sampler.measure({ sweeps: 12, every: 3, configurations: true });
    const snapshot = await sampler.snapshot();
    const accepted = sampler.exchangeStats?.accepted;
    return {
      kernel: sampler.kernel,
      colours: sampler.colours,
      terms: Array.from(m.terms),
      features: Array.from(m.features),
      configurations: Array.from(m.configurations ?? []),
      snapshot: Array.from(snapshot),
      sweepCount: sampler.sweepCount,
      exchangesAccepted: accepted ? Array.from(accepted) : null,
    };
  } finally {
    await sampler.dispose();
  }
}

/** The runs compared: the packed kernel, and the int kernel with 4 colours and with tempering. */
export const ISING_RUNS: IsingRunSpec[] = [
  {
    name: "packed, 64 chains at β_c",
    Lx: 16,
    Ly: 16,
    chains: 64,
    couplings: { nn: 0.4406868 },
    seed: 2025,
    init: "hot",
  },
  {
    name: "int, 4 colours (plaquette and field)",
    Lx: 6,
    Ly: 8,
    chains: 3,
    couplings: { nn: 0.3, plaquette: 0.1, field: 0.05 },
    seed: 9,
    init: "cold",
  },
  {
    name: "int with replica exchange over 6 temperatures",
    Lx: 8,
    Ly: 6,
    chains: 6,
    couplings: [0.25, 0.33, 0.4, 0.44, 0.5, 0.6].map((nn) => ({ nn, field: 0.01 })),
    seed: 31337,
    init: "hot",
    temperingEvery: 2,
  },
];
