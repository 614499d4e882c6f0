// `physml mcmc`: checkerboard Metropolis on many chains (CPU or WebGPU backend), printing the
// energy per site and |m| with autocorrelation-aware errors, the backend/adapter and the speed.

import { backendFromEnvIfSet } from "@physml/gpu-device";
import {
  defineModel,
  estimateChains,
  heisenbergChainExact,
  KAUFMAN_MAX_BETA,
  kaufman,
  type Model,
  type ModelInput,
  nearestNeighbourShapes,
  readModelFile,
  squareLattice,
  transferMatrixChain,
  xyChainExact,
} from "@physml/lattice-core";
import {
  createModelSampler,
  createSampler,
  defaultMemoryLimit,
  estimateMemory,
  formatBytes,
  parseBytes,
} from "@physml/mcmc-gpu";
import type { Command, CommandIO, RawFlags } from "../command.js";
import { boolFlag, choiceFlag, emit, FlagError, intFlag, numberFlag, stringFlag } from "../flags.js";

const fmt = (v: number, digits = 6): string => (Number.isInteger(v) ? String(v) : v.toPrecision(digits));

/** Estimate over chains of a per-chain series gathered from several measurement chunks. */
function pooled<M>(chunks: M[], chains: number, f: (m: M, chain: number) => Float64Array) {
  const series = Array.from({ length: chains }, (_, c) => {
    const parts = chunks.map((m) => f(m, c));
    const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  });
  const e = estimateChains(series);
  return { mean: e.mean, error: e.error, tauInt: e.tauInt };
}

/**
 * Thermalises, then measures in chunks of whole measurement intervals (identical results to
 * one long run) with progress on stderr; runs the unmeasured tail sweeps. Returns the chunks
 * and the wall time.
 */
async function runSchedule<M>(
  sampler: {
    sweep(n: number): Promise<void>;
    measure(o: { sweeps: number; every: number }): Promise<M>;
  },
  s: { thermalize: number; sweeps: number; every: number },
  io: CommandIO,
): Promise<{ parts: M[]; seconds: number }> {
  const { thermalize, sweeps, every } = s;
  const t0 = performance.now();
  const total = thermalize + sweeps;
  let lastReport = t0;
  const progress = (done: number) => {
    const now = performance.now();
    if (now - lastReport > 2000) {
      lastReport = now;
      io.stderr(`physml mcmc: ${Math.round((100 * done) / total)}% (${done}/${total} sweeps)\n`);
    }
  };
  const chunk = Math.max(every, Math.ceil(Math.max(1, Math.floor(sweeps / every)) / 20) * every);
  for (let done = 0; done < thermalize; ) {
    const n = Math.min(chunk, thermalize - done);
    await sampler.sweep(n);
    done += n;
    progress(done);
  }
  const parts: M[] = [];
  const measured = Math.floor(sweeps / every) * every;
  for (let done = 0; done < measured; ) {
    const n = Math.min(chunk, measured - done);
    parts.push(await sampler.measure({ sweeps: n, every }));
    done += n;
    progress(thermalize + done);
  }
  if (sweeps > measured) await sampler.sweep(sweeps - measured);
  return { parts, seconds: (performance.now() - t0) / 1000 };
}

type Est = { mean: number; error: number; tauInt: number };

/** The model of `--model/--lattice/--L/--beta/--field` (nn coupling β, J = 1). */
function modelFromFlags(flags: RawFlags): { model: Model; beta: number } {
  const spin = choiceFlag(flags, "model", "ising", ["ising", "xy", "heisenberg"] as const);
  const lattice = choiceFlag(flags, "lattice", "square", ["chain", "square", "cubic"] as const);
  const maxL = lattice === "chain" ? 1 << 20 : lattice === "square" ? 1 << 15 : 256;
  if (flags.L === undefined) throw new FlagError("L", `an integer in [2, ${maxL}]`, undefined);
  if (flags.beta === undefined) throw new FlagError("beta", "a finite number", undefined);
  const L = intFlag(flags, "L", 0, 2, maxL);
  const Ly = intFlag(flags, "Ly", L, 2, maxL);
  if (lattice !== "square" && flags.Ly !== undefined)
    throw new FlagError("Ly", "only with --lattice square", Ly);
  const beta = numberFlag(flags, "beta", 0, -100, 100);
  const field = numberFlag(flags, "field", 0, -100, 100);
  for (const k of ["plaquette", "nnn"] as const) {
    if (flags[k] !== undefined && (spin !== "ising" || lattice !== "square")) {
      throw new FlagError(k, "only with --model ising --lattice square", flags[k] as string);
    }
  }
  const terms: ModelInput["terms"] = [
    {
      name: "nn",
      coupling: beta,
      shapes: nearestNeighbourShapes(lattice === "chain" ? 1 : lattice === "square" ? 2 : 3),
    },
  ];
  const origin = lattice === "chain" ? [0] : lattice === "square" ? [0, 0] : [0, 0, 0];
  if (spin === "ising" && lattice === "square") {
    const plaquette = numberFlag(flags, "plaquette", 0, -100, 100);
    const nnn = numberFlag(flags, "nnn", 0, -100, 100);
    if (plaquette !== 0)
      terms.push({
        name: "plaquette",
        coupling: plaquette,
        sites: [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      });
    if (nnn !== 0)
      terms.push({
        name: "nnn",
        coupling: nnn,
        shapes: [
          [
            [0, 0],
            [1, 1],
          ],
          [
            [0, 0],
            [1, -1],
          ],
        ],
      });
  }
  if (field !== 0) terms.push({ name: "field", coupling: field, sites: [origin] });
  const latticeSpec: ModelInput["lattice"] =
    lattice === "chain" ? { chain: L } : lattice === "square" ? { square: [L, Ly] } : { cubic: L };
  return { model: defineModel({ spin, lattice: latticeSpec, terms }), beta };
}

/** Exact energy per site −⟨S_nn⟩/N (units of J) where a closed form or a cheap exact method applies. */
function exactNnEnergy(model: Model, beta: number | null): number | null {
  const nn = model.terms.findIndex((t) => t.name === "nn");
  if (nn < 0 || beta === null) return null;
  const lat = model.lattice;
  const only = model.terms.length === 1;
  if (model.spin.kind === "on" && lat.kind === "chain" && only && beta >= 0 && beta <= KAUFMAN_MAX_BETA) {
    const exact =
      model.spin.n === 2
        ? xyChainExact(beta, lat.L)
        : model.spin.n === 3
          ? heisenbergChainExact(beta, lat.L)
          : null;
    return exact ? -exact.bond : null;
  }
  if (model.spin.kind === "ising" && lat.kind === "chain") {
    return -transferMatrixChain(model).termMeans[nn] / lat.L;
  }
  if (model.spin.kind === "ising" && lat.kind === "square" && only && beta >= 0 && beta <= KAUFMAN_MAX_BETA) {
    return kaufman(lat.Lx, lat.Ly, beta).energyPerSite;
  }
  return null;
}

/** `physml mcmc` with --model/--lattice/--model-file: the generic sampler of @physml/mcmc-gpu. */
async function runModel(flags: RawFlags, io: CommandIO): Promise<void> {
  const file = stringFlag(flags, "model-file");
  let model: Model;
  let beta: number | null = null;
  if (file !== undefined) {
    for (const k of ["model", "lattice", "L", "Ly", "beta", "plaquette", "nnn", "field"]) {
      if (flags[k] !== undefined)
        throw new FlagError(k, "not together with --model-file", flags[k] as string);
    }
    model = await readModelFile(file);
  } else ({ model, beta } = modelFromFlags(flags));
  const chains = intFlag(flags, "chains", 16, 1, 1 << 16);
  const sweeps = intFlag(flags, "sweeps", 10000, 2, 2 ** 31);
  const thermalize = intFlag(flags, "thermalize", 1000, 0, 2 ** 31);
  const every = intFlag(flags, "every", 1, 1, Math.floor(sweeps / 2));
  const backend = choiceFlag(flags, "backend", "cpu", ["auto", "cpu", "webgpu"] as const);
  const init = choiceFlag(flags, "init", "cold", ["cold", "hot"] as const);
  const seed = intFlag(flags, "seed", 1, 0, 2 ** 53 - 1);
  const overrelaxation = intFlag(flags, "overrelaxation", 1, 0, 64);
  if (flags.kernel !== undefined)
    throw new FlagError("kernel", "only without --model/--lattice/--model-file", flags.kernel as string);
  const json = boolFlag(flags, "json");
  const sampler = await createModelSampler({ model, chains, seed, backend, init, overrelaxation });
  try {
    const N =
      sampler.model.lattice.kind === "square"
        ? sampler.model.lattice.Lx * sampler.model.lattice.Ly
        : sampler.model.lattice.kind === "chain"
          ? sampler.model.lattice.L
          : sampler.model.lattice.L ** 3;
    const { parts, seconds } = await runSchedule(sampler, { thermalize, sweeps, every }, io);
    const nnIndex = model.terms.findIndex((t) => t.name === "nn");
    const on = model.spin.kind === "on";
    const lay = parts[0].layout;
    const result = {
      model: {
        spin: model.spin.kind === "ising" ? "ising" : `on(${model.spin.n})`,
        lattice: model.lattice,
        terms: model.terms,
      },
      chains,
      sweeps,
      thermalize,
      every,
      seed,
      samplesPerChain: parts.reduce((a, m) => a + m.samples, 0),
      ...(nnIndex >= 0
        ? { energyPerSite: pooled(parts, chains, (m, c) => m.term(nnIndex, c).map((v) => -v / N)) }
        : {}),
      reducedEnergyPerSite: pooled(parts, chains, (m, c) => m.reducedEnergyPerSite(c)),
      absMagnetization: pooled(parts, chains, (m, c) => m.magnetizationPerSite(c)),
      ...(on ? { helicityModulus: pooled(parts, chains, (m, c) => m.helicityModulus(c)) } : {}),
      ...(lay.vortices >= 0 ? { vortexDensity: pooled(parts, chains, (m, c) => m.vortexDensity(c)) } : {}),
      exact: ((e) => (e === null ? null : { energyPerSite: e }))(exactNnEnergy(model, beta)),
      backend: sampler.backend,
      adapter: sampler.adapter,
      kernel: sampler.rules.join("+"),
      colours: sampler.colours,
      ...(sampler.onRule ? { proposalWidth: Array.from(sampler.onRule.widths.slice(0, 4)) } : {}),
      seconds,
      flipsPerNs: (chains * N * (thermalize + sweeps)) / (seconds * 1e9),
    };
    const est = (e: Est) => `${fmt(e.mean, 8)} ± ${fmt(e.error, 2)}  (τ_int ${fmt(e.tauInt, 3)} samples)`;
    emit(io, json, result, () =>
      [
        `${result.model.spin} model on ${JSON.stringify(model.lattice)}, terms ${model.terms.map((t) => `${t.name} ${t.coupling}`).join(", ")}`,
        `${chains} chains × ${sweeps} sweeps (measured every ${every}) after ${thermalize}; seed ${seed}`,
        "",
        ...(result.energyPerSite ? [`  energy / site ⟨−S_nn⟩/N         ${est(result.energyPerSite)}`] : []),
        ...(result.exact ? [`    exact                          ${fmt(result.exact.energyPerSite, 8)}`] : []),
        `  ⟨H⟩/N (reduced, all couplings) ${est(result.reducedEnergyPerSite)}`,
        `  |m|                            ${est(result.absMagnetization)}`,
        ...(result.helicityModulus
          ? [`  βΥ (helicity modulus, x)       ${est(result.helicityModulus)}`]
          : []),
        ...(result.vortexDensity ? [`  vortex density                 ${est(result.vortexDensity)}`] : []),
        "",
        `  backend ${sampler.backend} (${result.kernel}, ${sampler.colours} colours) on ${sampler.adapter}`,
        `  ${fmt(result.flipsPerNs, 3)} site updates/ns (${fmt(seconds, 3)} s)`,
      ].join("\n"),
    );
  } finally {
    await sampler.dispose();
  }
}

export const mcmcCommand: Command = {
  path: ["mcmc"],
  summary:
    "Metropolis sampling of Ising, XY and Heisenberg models (or a model file) on many chains, CPU or WebGPU",
  flags: {
    model: {
      type: "string",
      description: "ising | xy | heisenberg (generic sampler; default: square Ising fast path)",
    },
    lattice: {
      type: "string",
      description: "chain | square | cubic (periodic; with --model)",
      default: "square",
    },
    "model-file": {
      type: "string",
      description: "a model JSON file {spin, lattice, terms} (see @physml/lattice-core)",
    },
    overrelaxation: {
      type: "string",
      description: "O(n): over-relaxation sweeps per Metropolis sweep",
      default: "1",
    },
    L: { type: "string", description: "lattice width, even integer in [2, 32768]" },
    Ly: { type: "string", description: "lattice height, even (default: L)" },
    beta: { type: "string", description: "nearest-neighbour coupling β (J = 1)" },
    plaquette: {
      type: "string",
      description: "plaquette coupling (β absorbed, as in `exact enumerate`)",
      default: "0",
    },
    nnn: { type: "string", description: "next-nearest-neighbour coupling (β absorbed)", default: "0" },
    field: { type: "string", description: "magnetic field coupling (β absorbed)", default: "0" },
    chains: { type: "string", description: "independent chains", default: "16" },
    sweeps: { type: "string", description: "measured sweeps per chain", default: "10000" },
    thermalize: { type: "string", description: "sweeps discarded before measuring", default: "1000" },
    every: { type: "string", description: "measure after every n-th sweep", default: "1" },
    backend: {
      type: "string",
      description: "cpu | webgpu | auto (auto: a real GPU if present)",
      default: "PHYSML_BACKEND or auto; cpu with --model/--lattice/--model-file",
    },
    kernel: { type: "string", description: "auto | int | packed", default: "auto" },
    init: { type: "string", description: "cold | hot", default: "cold" },
    seed: { type: "string", description: "integer seed in [0, 2^53)", default: "1" },
    workers: { type: "string", description: "CPU threads (default: all cores)" },
    "max-memory": {
      type: "string",
      description: "refuse runs estimated above this size, e.g. 4G or 512M",
      default: "80% of the free memory",
    },
  },
  examples: [
    "physml mcmc --L 64 --beta 0.44 --chains 16 --sweeps 10000",
    "physml mcmc --model xy --lattice chain --L 256 --beta 1.5 --json",
    "physml mcmc --model-file triangle.json --chains 8 --sweeps 5000",
    "physml mcmc --L 32 --beta 0.3 --plaquette 0.1 --backend cpu --json",
  ],
  async run(flags, io) {
    if (flags.model !== undefined || flags.lattice !== undefined || flags["model-file"] !== undefined) {
      await runModel(flags, io);
      return;
    }
    if (flags.L === undefined) throw new FlagError("L", "an even integer in [2, 32768]", undefined);
    if (flags.beta === undefined) throw new FlagError("beta", "a finite number", undefined);
    const L = intFlag(flags, "L", 0, 2, 1 << 15);
    const Ly = intFlag(flags, "Ly", L, 2, 1 << 15);
    if (L % 2 || Ly % 2)
      throw new FlagError(L % 2 ? "L" : "Ly", "an even integer (checkerboard updates)", L % 2 ? L : Ly);
    const beta = numberFlag(flags, "beta", 0, -100, 100);
    const plaquette = numberFlag(flags, "plaquette", 0, -100, 100);
    const nnn = numberFlag(flags, "nnn", 0, -100, 100);
    const field = numberFlag(flags, "field", 0, -100, 100);
    const chains = intFlag(flags, "chains", 16, 1, 1 << 20);
    const sweeps = intFlag(flags, "sweeps", 10000, 2, 2 ** 31);
    const thermalize = intFlag(flags, "thermalize", 1000, 0, 2 ** 31);
    const every = intFlag(flags, "every", 1, 1, Math.floor(sweeps / 2));
    const backend = choiceFlag(flags, "backend", backendFromEnvIfSet() ?? "auto", [
      "auto",
      "cpu",
      "webgpu",
    ] as const);
    const kernel = choiceFlag(flags, "kernel", "auto", ["auto", "int", "packed"] as const);
    const init = choiceFlag(flags, "init", "cold", ["cold", "hot"] as const);
    const seed = intFlag(flags, "seed", 1, 0, 2 ** 53 - 1);
    const workers = flags.workers === undefined ? undefined : intFlag(flags, "workers", 1, 1, 256);
    const json = boolFlag(flags, "json");

    // Memory is checked before anything is allocated: a run that does not fit is refused here
    // rather than killed by the kernel or left swapping through its set-up.
    const maxMemoryText = flags["max-memory"];
    let maxMemory = defaultMemoryLimit();
    if (maxMemoryText !== undefined) {
      const v = typeof maxMemoryText === "string" ? parseBytes(maxMemoryText) : null;
      if (v === null)
        throw new FlagError("max-memory", "a size such as 4G, 512M or 1000000 (bytes)", maxMemoryText);
      maxMemory = v;
    }
    const nnOnly = plaquette === 0 && nnn === 0 && field === 0;
    const memory = estimateMemory({
      sites: L * Ly,
      chains,
      kernel: kernel === "int" || (kernel === "auto" && !nnOnly) ? "int" : "packed",
      samples: Math.floor(sweeps / every),
    });
    if (memory.total > maxMemory) {
      const { lattice: lat, spins: sp, measurements: ms } = memory.parts;
      const largest = lat >= sp && lat >= ms ? "L" : sp >= ms ? "chains" : "sweeps";
      throw new FlagError(
        largest,
        `a run that fits in the memory limit of ${formatBytes(maxMemory)} (${maxMemoryText === undefined ? "80% of the free memory; " : ""}--max-memory): ` +
          `this one needs ≈ ${formatBytes(memory.total)} (lattice tables ${formatBytes(lat)}, spins ${formatBytes(sp)}, ` +
          `measurements ${formatBytes(ms)})`,
        String({ L, chains, sweeps }[largest]),
      );
    }
    if (!json && memory.total > 2 ** 30)
      io.stderr(`physml mcmc: setting up ${chains} chains of ${L}×${Ly} (≈ ${formatBytes(memory.total)})…\n`);

    const lattice = squareLattice(L, Ly);
    const sampler = await createSampler({
      lattice,
      couplings: { nn: beta, plaquette, nnn, field },
      chains,
      seed,
      backend,
      kernel,
      init,
      ...(workers === undefined ? {} : { workers }),
    });
    try {
      const N = lattice.nSites;
      const { parts, seconds } = await runSchedule(sampler, { thermalize, sweeps, every }, io);
      const total = thermalize + sweeps;
      const flipsPerNs = (chains * N * total) / (seconds * 1e9);
      const energyPerSite = pooled(parts, chains, (m, c) => m.nnEnergyPerSite(c));
      const reducedEnergyPerSite = pooled(parts, chains, (m, c) => m.reducedEnergyPerSite(c));
      const absMagnetization = pooled(parts, chains, (m, c) => m.absMagnetizationPerSite(c));
      const exact =
        nnOnly && beta >= 0 && beta <= KAUFMAN_MAX_BETA
          ? { energyPerSite: kaufman(L, Ly, beta).energyPerSite }
          : null;
      const result = {
        L,
        Ly,
        couplings: { nn: beta, plaquette, nnn, field },
        chains,
        sweeps,
        thermalize,
        every,
        seed,
        samplesPerChain: parts.reduce((a, m) => a + m.samples, 0),
        energyPerSite,
        reducedEnergyPerSite,
        absMagnetization,
        exact,
        backend: sampler.backend,
        adapter: sampler.adapter,
        kernel: sampler.kernel,
        colours: sampler.colours,
        seconds,
        flipsPerNs,
      };
      const est = (e: { mean: number; error: number; tauInt: number }) =>
        `${fmt(e.mean, 8)} ± ${fmt(e.error, 2)}  (τ_int ${fmt(e.tauInt, 3)} samples)`;
      emit(io, json, result, () =>
        [
          `Ising Metropolis, ${L}×${Ly} torus, nn ${beta}${nnOnly ? "" : `, plaquette ${plaquette}, nnn ${nnn}, field ${field}`}`,
          `${chains} chains × ${sweeps} sweeps (measured every ${every}) after ${thermalize}; seed ${seed}`,
          "",
          `  energy / site ⟨−Σ s_i s_j⟩/N   ${est(energyPerSite)}`,
          ...(exact ? [`    exact (Kaufman)              ${fmt(exact.energyPerSite, 8)}`] : []),
          ...(nnOnly ? [] : [`  ⟨H⟩/N (reduced, all couplings) ${est(reducedEnergyPerSite)}`]),
          `  |m|                           ${est(absMagnetization)}`,
          "",
          `  backend ${sampler.backend} (${sampler.kernel} kernel, ${sampler.colours} colours) on ${sampler.adapter}`,
          `  ${fmt(flipsPerNs, 3)} attempted flips/ns (${fmt(seconds, 3)} s)`,
        ].join("\n"),
      );
    } finally {
      await sampler.dispose();
    }
  },
};
