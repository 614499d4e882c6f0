// `physml mcmc`: checkerboard Metropolis on many chains (CPU or WebGPU backend), printing the
// energy per site and |m| with autocorrelation-aware errors, the backend/adapter and the speed.
import { estimateChains, KAUFMAN_MAX_BETA, kaufman, squareLattice } from "@physml/lattice-core";
import {
  createSampler,
  defaultMemoryLimit,
  estimateMemory,
  formatBytes,
  type Measurements,
  parseBytes,
} from "@physml/mcmc-gpu";
import type { Command } from "../command.js";
import { backendFromEnvironment } from "../env.js";
import { boolFlag, choiceFlag, emit, FlagError, intFlag, numberFlag } from "../flags.js";

const fmt = (v: number, digits = 6): string => (Number.isInteger(v) ? String(v) : v.toPrecision(digits));

type Series = (m: Measurements, chain: number) => Float64Array;

/** Estimate over chains of a per-chain series gathered from several measurement chunks. */
function pooled(chunks: Measurements[], chains: number, f: Series) {
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

export const mcmcCommand: Command = {
  path: ["mcmc"],
  summary: "Metropolis sampling of the Ising model (+ plaquette/nnn/field) on many chains, CPU or WebGPU",
  flags: {
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
      default: "PHYSML_BACKEND or auto",
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
    "physml mcmc --L 32 --beta 0.3 --plaquette 0.1 --backend cpu --json",
  ],
  async run(flags, io) {
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
    const backend = choiceFlag(flags, "backend", backendFromEnvironment() ?? "auto", [
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
      // Chunks of whole measurement intervals: identical results to one long run, with progress.
      const chunk = Math.max(every, Math.ceil(Math.max(1, Math.floor(sweeps / every)) / 20) * every);
      for (let done = 0; done < thermalize; ) {
        const n = Math.min(chunk, thermalize - done);
        await sampler.sweep(n);
        done += n;
        progress(done);
      }
      const parts: Measurements[] = [];
      const measured = Math.floor(sweeps / every) * every;
      for (let done = 0; done < measured; ) {
        const n = Math.min(chunk, measured - done);
        parts.push(await sampler.measure({ sweeps: n, every }));
        done += n;
        progress(thermalize + done);
      }
      if (sweeps > measured) await sampler.sweep(sweeps - measured);
      const seconds = (performance.now() - t0) / 1000;
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
