// What a duality run will hold in memory, estimated from its configuration before anything is
// allocated, so that a size that does not fit is refused with a clear error instead of the process
// being killed. Counts the large arrays (each linear in its size): the candidate chains and their
// per-step configurations (the sampler's own estimate), the step's link variables, and the sample
// memory of the last `optimizer.memory` steps (link variables as bytes and the sums of the shape
// images the slots read), twice when the exact mode's steps run on two threads (the worker
// thread keeps its own copy of the memory, see ./step-threads.ts).
import { formatBytes, plural, refuseAboveMemoryLimit } from "@physml/lattice-core";
import { estimateMemory, type MemoryEstimate } from "@physml/mcmc-gpu";
import { type DualityConfig, updateRule } from "../config.js";
import { slotImages } from "../model/moment-plan.js";
import { resolveShapes } from "../model/shapes.js";
import { candidateSlots } from "../model/window.js";

/**
 * Bytes a run of `config` is estimated to hold at once (host memory), its steps on `threads`
 * threads (default 1).
 */
export function estimateDualityMemory(config: DualityConfig, threads = 1): MemoryEstimate {
  const N = config.L * (config.Ly ?? config.L);
  const cc = config.candidate;
  const perChain = Math.floor(cc.sweepsPerStep / cc.every);
  const S = cc.chains * perChain;
  const sampler = estimateMemory({
    sites: N,
    chains: cc.chains,
    kernel: "int",
    samples: perChain,
    configurations: true,
  });
  const slots = candidateSlots(config.observable.window);
  const shapes = resolveShapes(config.shapes);
  const images = slotImages(config.L, config.Ly ?? config.L, shapes, slots).images;
  const I = images.reduce((m, im) => m + im.size + 1, 0);
  const step = S * 2 * N * 8; // link variables of one step, Float64
  const copies = threads > 1 && updateRule(config) === "exact" ? 2 : 1;
  const kept = copies * config.optimizer.memory * (S * 2 * N + S * I * 8 + S * 4 * 8);
  return {
    total: sampler.total + step + kept,
    parts: { ...sampler.parts, measurements: sampler.parts.measurements + step + kept },
  };
}

/**
 * Throws a PhysmlInputError naming `L` (with the chains and the limit in its words) when the run
 * on `threads` threads is estimated above `config.maxMemory` (default: 80% of the free memory).
 */
export function checkDualityMemory(config: DualityConfig, threads = 1): void {
  const e = estimateDualityMemory(config, threads);
  refuseAboveMemoryLimit(e.total, config.maxMemory, {
    field: "L",
    received: config.L,
    what: `L = ${config.L} with ${plural(config.candidate.chains, "chain")}`,
    parts:
      `spins and configurations ${formatBytes(e.parts.spins + e.parts.configurations)}, ` +
      `link variables and sample memory ${formatBytes(e.parts.measurements)}`,
    advice: "lower --L or --chains",
  });
}
