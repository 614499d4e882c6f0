// What a sampler run will allocate, estimated before anything is allocated, so that a size that
// does not fit is refused with a clear error instead of the process being killed (or hanging in a
// set-up that swaps). Counts the large arrays only; each term is linear in its size.
import { formatBytes, latticeSiteCount, type Model, N_TERMS, PhysmlInputError } from "@physml/lattice-core";
import type { KernelKind } from "./backend.js";
import { cpuKernel } from "./cpu/kernel/registry.js";
import { N_FEATURES } from "./cpu/measure.js";
import { measureLayout } from "./model/measure.js";

/** Bytes per site of the lattice's index tables (links, neighbours, plaquettes, colour classes, the CPU kernels' 8-neighbour table). */
const LATTICE_BYTES_PER_SITE = 112;
/** Bytes per measured sample of one chain: the term sums and the features (Float64), as returned. */
const MEASUREMENT_BYTES_PER_SAMPLE = (N_TERMS + N_FEATURES) * 8;
/** Bytes per measured sample of one chain of each series a caller holds (one Float64). */
const SERIES_BYTES_PER_SAMPLE = 8;

/** The inputs of {@link estimateMemory}. */
export interface MemoryPlan {
  /** Sites per chain (Lx·Ly). */
  sites: number;
  chains: number;
  /**
   * "int" (one byte per spin) or "packed" (32 chains per 32-bit word; the CPU's WebAssembly SIMD
   * kernel keeps 4 words per site, so chains count in whole groups of 128).
   */
  kernel: KernelKind;
  /** Measured samples per chain kept in memory (0 when nothing is measured). */
  samples: number;
  /** Also keep the configurations of every sample (one byte per spin). */
  configurations?: boolean;
  /**
   * Series-sized Float64 arrays (one value per measured sample and chain) the caller holds beside
   * the measurements at its peak, e.g. the series it builds for its estimates (default 0).
   */
  series?: number;
}

/** An estimate in bytes, with its parts. */
export interface MemoryEstimate {
  total: number;
  parts: { lattice: number; spins: number; measurements: number; configurations: number };
}

/** Estimates the memory a sampler run allocates (host memory; a GPU run mirrors the spins on the device). */
export function estimateMemory(p: MemoryPlan): MemoryEstimate {
  const lattice = p.sites * LATTICE_BYTES_PER_SITE;
  const spins = cpuKernel(p.kernel).spinBytes(p.sites, p.chains);
  const measurements =
    p.chains * p.samples * (MEASUREMENT_BYTES_PER_SAMPLE + (p.series ?? 0) * SERIES_BYTES_PER_SAMPLE);
  const configurations = p.configurations ? p.chains * p.samples * p.sites : 0;
  return {
    total: lattice + spins + measurements + configurations,
    parts: { lattice, spins, measurements, configurations },
  };
}

/** The inputs of {@link estimateModelMemory}. */
export interface ModelMemoryPlan {
  chains: number;
  /** Measured samples per chain kept in memory (0 when nothing is measured). */
  samples: number;
  /** As {@link MemoryPlan.series}: series-sized Float64 arrays the caller holds (default 0). */
  series?: number;
}

/**
 * Estimates the memory a model sampler run allocates (host memory), from the model alone, before
 * any table is built: the site tables of its terms (one Int32 per site and shape position, the
 * neighbour offsets they imply, the colouring, the XY rule's stencil), the spins of every chain (one byte per Ising
 * spin, n Float64 components per O(n) spin), and the measurement rows (one Float64 per term,
 * magnetisation component, helicity piece and vortex count per sample and chain) and the
 * caller's series.
 */
export function estimateModelMemory(model: Model, p: ModelMemoryPlan): MemoryEstimate {
  const sites = latticeSiteCount(model.lattice);
  let positions = 0;
  let pairs = 0;
  for (const t of model.terms)
    for (const shape of t.shapes) {
      positions += shape.length;
      pairs += shape.length * (shape.length - 1);
    }
  // Instance tables, neighbour table (at most one offset per ordered pair), colour of each site;
  // the XY rule adds its own flat stencil (one Int32 per site and 2-site position).
  const xy = model.spin.kind === "on" && model.spin.n === 2;
  const lattice = sites * 4 * (positions + pairs + 1 + (xy ? pairs : 0));
  const { components, width } = measureLayout(model);
  const spins = model.spin.kind === "ising" ? p.chains * sites : p.chains * sites * components * 8;
  const measurements = p.chains * p.samples * (width * 8 + (p.series ?? 0) * SERIES_BYTES_PER_SAMPLE);
  return {
    total: lattice + spins + measurements,
    parts: { lattice, spins, measurements, configurations: 0 },
  };
}

/**
 * A run estimated above its memory limit, refused before anything is allocated. Names the
 * largest part (`lattice`, `spins` or `measurements`) so the caller can say which size to lower.
 */
export class MemoryLimitError extends PhysmlInputError {
  readonly estimate: MemoryEstimate;
  readonly limit: number;
  /** The largest part of the estimate. */
  readonly largest: "lattice" | "spins" | "measurements";

  constructor(estimate: MemoryEstimate, limit: number) {
    const { lattice, spins, measurements } = estimate.parts;
    const largest =
      lattice >= spins && lattice >= measurements
        ? "lattice"
        : spins >= measurements
          ? "spins"
          : "measurements";
    super(
      largest,
      `a run that fits in the memory limit of ${formatBytes(limit)}: this one needs ≈ ${formatBytes(estimate.total)} ` +
        `(lattice tables ${formatBytes(lattice)}, spins ${formatBytes(spins)}, measurements ${formatBytes(measurements)})`,
      estimate.total,
    );
    this.name = "MemoryLimitError";
    this.estimate = estimate;
    this.limit = limit;
    this.largest = largest;
  }
}

/** Throws {@link MemoryLimitError} when `estimate` exceeds `limit` bytes. */
export function checkMemory(estimate: MemoryEstimate, limit: number): void {
  if (estimate.total > limit) throw new MemoryLimitError(estimate, limit);
}
