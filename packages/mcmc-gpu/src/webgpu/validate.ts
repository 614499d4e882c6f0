// Input checks of the WebGPU backend: typed errors naming the field (PhysmlInputError) for bad
// input, and GpuError naming the kernel when the device's limits are too small.
import { type GpuContext, GpuError } from "@physml/gpu-device";
import {
  type Couplings,
  checkEven,
  checkInt,
  MAX_SEED,
  PhysmlInputError,
  TERM_NAMES,
} from "@physml/lattice-core";
import type { BackendInit } from "../backend.js";
import { kernelRules } from "../kernel/registry.js";
import { gpuKernel } from "./kernel/registry.js";

/** Checks that the couplings fit the kernel: one per chain, finite, and what the kernel and colouring allow. */
export function checkCouplings(
  init: Pick<BackendInit, "kernel" | "colours" | "chains">,
  cs: readonly Couplings[],
): void {
  if (cs.length !== init.chains)
    throw new PhysmlInputError("couplings.length", `${init.chains} (one per chain)`, cs.length);
  const rules = kernelRules(init.kernel);
  cs.forEach((c, k) => {
    for (const name of TERM_NAMES) {
      if (!Number.isFinite(c[name]))
        throw new PhysmlInputError(`couplings[${k}].${name}`, "a finite number", c[name]);
    }
    rules.checkChain(cs, k);
    if (init.colours === 2 && (c.plaquette !== 0 || c.nnn !== 0)) {
      throw new PhysmlInputError(
        `couplings[${k}]`,
        "plaquette = nnn = 0 with 2 colours (use 4)",
        JSON.stringify(c),
      );
    }
  });
}

/** Checks a backend description against the kernel rules and the device limits. */
export function checkInit(init: BackendInit, ctx: GpuContext): void {
  const { lattice, chains } = init;
  checkEven("Lx", lattice.Lx);
  checkEven("Ly", lattice.Ly);
  checkInt("chains", chains, 1, 1 << 24);
  checkInt("seed", init.seed, 0, MAX_SEED);
  const rules = kernelRules(init.kernel);
  if (init.colours !== 2 && init.colours !== 4) throw new PhysmlInputError("colours", "2 or 4", init.colours);
  if (rules.colours !== null && init.colours !== rules.colours)
    throw new PhysmlInputError("colours", `${rules.colours} for the ${rules.kind} kernel`, init.colours);
  if (init.init !== "cold" && init.init !== "hot")
    throw new PhysmlInputError("init", "cold or hot", init.init);
  // Term sums are i32 on the GPU: |S_nn| ≤ 2N must fit.
  if (2 * lattice.nSites > 0x7fffffff)
    throw new PhysmlInputError("lattice.nSites", "at most 2^30 − 1 sites", lattice.nSites);
  checkCouplings(init, init.couplings);
  const kernel = gpuKernel(init.kernel);
  const lim = ctx.device.limits;
  const words = kernel.spinWords(chains, lattice.nSites);
  const maxBytes = Math.min(lim.maxStorageBufferBindingSize, lim.maxBufferSize);
  if (4 * words > maxBytes) {
    throw new GpuError(
      "out-of-memory",
      kernel.sweepName,
      `spins need ${4 * words} bytes; this device binds at most ${maxBytes}`,
    );
  }
  const maxWg = lim.maxComputeWorkgroupsPerDimension;
  const g = kernel.grids(init);
  if ([...g.sweep, ...g.measure].some((d) => d > maxWg)) {
    throw new GpuError(
      "validation",
      kernel.sweepName,
      `lattice or chain count needs more than ${maxWg} workgroups per dimension`,
    );
  }
}
