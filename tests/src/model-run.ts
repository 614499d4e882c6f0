// Short model-sampler runs as the same sequence of calls wherever they run: in a page on the
// browser's WebGPU (browser-page.ts) and in Node on Dawn or the CPU, so the results can be
// compared bit for bit. Specs and results are plain data so that they cross from the page to
// Node as JSON.
import { type ModelInput, nearestNeighbourShapes } from "@physml/lattice-core";
import { triangleModel } from "@physml/lattice-core/testing";
import {
  betaLadder,
  type GpuModelSamplerOptions,
  type GpuModelTemperingOptions,
  type ModelSampler,
  type ModelTempering,
} from "@physml/mcmc-gpu";

/** A model-sampler run: the sampler's options in JSON form. */
export interface ModelRunSpec {
  name: string;
  model: ModelInput;
  chains: number;
  seed: number;
  init: "cold" | "hot";
  kernel?: "int" | "packed";
  overrelaxation?: number;
  /** Couplings (term order) set after the thermalisation sweeps; absent: kept. */
  couplingsAfter?: number[];
}

/** What a model run returns, every array in the sampler's order. */
export interface ModelRunResult {
  backend: string;
  rules: string[];
  /** The initial configurations (before any sweep). */
  start: number[];
  /** Measurement rows (term sums and observables per chain and sample). */
  rows: number[];
  snapshot: number[];
  sweepCount: number;
  /** O(n): the adapted proposal widths and the accepted and attempted moves while measuring. */
  widths: number[] | null;
  accepted: number[] | null;
  attempted: number[] | null;
}

/** A replica-exchange run of model samplers: β ladder over a model, in JSON form. */
export interface LadderRunSpec {
  name: string;
  model: ModelInput;
  betas: number[];
  chains: number;
  seed: number;
  init: "cold" | "hot";
}

/** What a ladder run returns. */
export interface LadderRunResult {
  /** Measurement rows of each slot. */
  rows: number[][];
  proposed: number[];
  accepted: number[];
  samplerOfSlot: number[];
}

/** The options of `createModelSampler`/`createGpuModelSampler` for a spec. */
export function modelOptions(spec: ModelRunSpec): GpuModelSamplerOptions {
  return {
    model: spec.model,
    chains: spec.chains,
    seed: spec.seed,
    init: spec.init,
    ...(spec.kernel === undefined ? {} : { kernel: spec.kernel }),
    ...(spec.overrelaxation === undefined ? {} : { overrelaxation: spec.overrelaxation }),
  };
}

/** The options of `createModelTempering`/`createGpuModelTempering` for a spec. */
export function ladderOptions(spec: LadderRunSpec): GpuModelTemperingOptions {
  return {
    model: spec.model,
    slots: betaLadder(spec.model, spec.betas),
    chains: spec.chains,
    seed: spec.seed,
    init: spec.init,
  };
}

/**
 * The start, 10 sweeps (O(n) widths adapt), the new couplings if any, 12 sweeps measured every 3,
 * then a snapshot; disposes the sampler.
 */
export async function runModel(sampler: ModelSampler, spec: ModelRunSpec): Promise<ModelRunResult> {
  try {
    const start = await sampler.snapshot();
    await sampler.sweep(10);
    if (spec.couplingsAfter) sampler.setCouplings(spec.couplingsAfter);
    const m = await sampler.measure({ sweeps: 12, every: 3 });
    const on = sampler.onRule;
    return {
      backend: sampler.backend,
      rules: [...sampler.rules],
      start: Array.from(start),
      rows: Array.from(m.rows),
      snapshot: Array.from(await sampler.snapshot()),
      sweepCount: sampler.sweepCount,
      widths: on ? Array.from(on.widths) : null,
      accepted: on ? Array.from(on.accepted) : null,
      attempted: on ? Array.from(on.attempted) : null,
    };
  } finally {
    await sampler.dispose();
  }
}

/** 10 sweeps per slot without exchanges, then 8 rounds of 2 sweeps each followed by an exchange. */
export async function runLadder(pt: ModelTempering): Promise<LadderRunResult> {
  try {
    await pt.thermalize(10);
    const r = await pt.run({ samples: 8, every: 2 });
    return {
      rows: r.slots.map((m) => Array.from(m.rows)),
      proposed: Array.from(r.proposed),
      accepted: Array.from(r.accepted),
      samplerOfSlot: Array.from(pt.samplerOfSlot),
    };
  } finally {
    await pt.dispose();
  }
}

/** A 3-spin triangle with nn and a field on a 6×4 torus (a description the packed rule fits). */
const TRIANGLE: ModelInput = triangleModel([6, 4], { tri: 0.3, nn: 0.2, h: -0.05 });

/**
 * The model runs compared: both Ising rules on the 3-spin description (new couplings halfway,
 * which recompiles the packed kernel), Heisenberg with a field and XY (f32 on the GPU).
 */
export const MODEL_RUNS: ModelRunSpec[] = [
  {
    name: "int rule, 3-spin triangle + nn + field",
    model: TRIANGLE,
    chains: 5,
    seed: 2 ** 40 + 3,
    init: "hot",
    kernel: "int",
    couplingsAfter: [-0.25, 0.3, 0.05],
  },
  {
    name: "packed rule, 3-spin triangle + nn + field, 40 chains",
    model: TRIANGLE,
    chains: 40,
    seed: 77,
    init: "hot",
    kernel: "packed",
    couplingsAfter: [-0.25, 0.3, 0.05],
  },
  {
    name: "Heisenberg 6×6 with a field, 2 over-relaxation sweeps",
    model: {
      spin: "heisenberg",
      lattice: { square: [6, 6] },
      terms: [
        { name: "nn", coupling: 0.7, shapes: nearestNeighbourShapes(2) },
        { name: "h", coupling: 0.1, sites: [[0, 0]], axis: 2 },
      ],
    },
    chains: 3,
    seed: 11,
    init: "hot",
    overrelaxation: 2,
  },
  {
    name: "XY ring L = 24",
    model: { spin: "xy", lattice: { chain: 24 }, terms: [{ name: "nn", coupling: 1.1, sites: [[0], [1]] }] },
    chains: 4,
    seed: 5,
    init: "cold",
  },
];

/** The ladder compared: an Ising ring over four temperatures close enough to exchange often. */
export const LADDER_RUNS: LadderRunSpec[] = [
  {
    name: "Ising ring L = 12, 4 temperatures",
    model: { spin: "ising", lattice: { chain: 12 }, terms: [{ name: "nn", coupling: 1, sites: [[0], [1]] }] },
    betas: [0.2, 0.35, 0.5, 0.65],
    chains: 2,
    seed: 404,
    init: "hot",
  },
];
