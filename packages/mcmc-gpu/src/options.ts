// Validation of `createSampler` options into a normalised form, with typed errors that name
// the field and its allowed range.

import type { BackendChoice } from "@physml/gpu-device";
import {
  type Couplings,
  checkEven,
  checkInt,
  MAX_SEED,
  couplings as normaliseCouplings,
  PhysmlInputError,
  SquareLattice,
} from "@physml/lattice-core";
import type { KernelKind } from "./backend.js";
import { autoColours, chooseKernel, KERNEL_KINDS, kernelRules } from "./kernel/registry.js";

/** Options of {@link createSampler}. */
export interface SamplerOptions {
  /** The periodic lattice (both sides even: every checkerboard colouring needs it). */
  lattice: SquareLattice;
  /** One coupling vector for all chains, or one per chain (per temperature slot with tempering). */
  couplings: Partial<Couplings> | readonly Partial<Couplings>[];
  /** Number of independent chains, ≥ 1. */
  chains: number;
  /** Integer in [0, 2^53): the Philox key. Same seed → same chains, on every backend. */
  seed: number;
  /** Compute backend; default `PHYSML_BACKEND`, else `auto` (a real GPU if present, else CPU). */
  backend?: BackendChoice;
  /** Update kernel; `auto` picks `packed` whenever it applies (nn only, equal couplings, no tempering). */
  kernel?: "auto" | KernelKind;
  /**
   * Checkerboard colouring of the int kernel: 2 needs plaquette = nnn = 0 for every chain, 4
   * works for any couplings. `auto` (default) takes 2 when the initial couplings allow it; pass
   * 4 if `setCouplings` will later switch on plaquette or nnn couplings.
   */
  colouring?: "auto" | 2 | 4;
  /** Replica exchange between neighbouring coupling slots every `every` sweeps (SPEC.md). */
  tempering?: { every: number } | false;
  /** Initial spins: `cold` (all +1, default) or `hot` (Philox coin flips, SPEC.md). */
  init?: "cold" | "hot";
  /** CPU backend: threads to use including the main one (default: all cores). */
  workers?: number;
}

/** The validated form. */
export interface ResolvedOptions {
  lattice: SquareLattice;
  chains: number;
  seed: number;
  backend: BackendChoice | undefined;
  kernel: KernelKind;
  colours: 2 | 4;
  couplings: Couplings[];
  temperingEvery: number;
  init: "cold" | "hot";
  workers: number | undefined;
}

function oneOf<T>(field: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new PhysmlInputError(
      field,
      `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`,
      value as string,
    );
  }
  return value as T;
}

/** Normalises a coupling spec to one full vector per chain. */
export function couplingsPerChain(
  spec: Partial<Couplings> | readonly Partial<Couplings>[],
  chains: number,
  field = "couplings",
): Couplings[] {
  if (Array.isArray(spec)) {
    if (spec.length !== chains) {
      throw new PhysmlInputError(`${field}.length`, `one coupling vector per chain (${chains})`, spec.length);
    }
    return spec.map((c, k) => normaliseCouplings(c, `${field}[${k}]`));
  }
  if (spec === null || typeof spec !== "object") {
    throw new PhysmlInputError(
      field,
      "an object {nn, plaquette, nnn, field} or an array of them",
      typeof spec,
    );
  }
  const c = normaliseCouplings(spec as Partial<Couplings>, field);
  return Array.from({ length: chains }, () => ({ ...c }));
}

/** True when the 2-colouring is valid for these couplings. */
export function twoColourApplies(cs: readonly Couplings[]): boolean {
  return cs.every((c) => c.plaquette === 0 && c.nnn === 0);
}

/** Checks new couplings against a sampler's fixed kernel and colouring. */
export function checkCouplingsFit(
  cs: readonly Couplings[],
  kernel: KernelKind,
  colours: 2 | 4,
  field: string,
): void {
  kernelRules(kernel).checkFit(cs, field);
  if (colours === 2 && !twoColourApplies(cs)) {
    throw new PhysmlInputError(
      field,
      "plaquette = nnn = 0 (the sampler uses the 2-colouring; create it with colouring: 4)",
      "nonzero plaquette or nnn",
    );
  }
}

/** Validates every option of `createSampler`. */
export function resolveOptions(o: SamplerOptions): ResolvedOptions {
  if (o === null || typeof o !== "object")
    throw new PhysmlInputError("options", "an options object", typeof o);
  if (!(o.lattice instanceof SquareLattice)) {
    throw new PhysmlInputError("lattice", "a SquareLattice (squareLattice(Lx, Ly))", typeof o.lattice);
  }
  checkEven("lattice.Lx", o.lattice.Lx);
  checkEven("lattice.Ly", o.lattice.Ly);
  const chains = checkInt("chains", o.chains, 1, 1 << 20);
  const seed = checkInt("seed", o.seed, 0, MAX_SEED);
  const backend =
    o.backend === undefined
      ? undefined
      : oneOf<BackendChoice>("backend", o.backend, ["auto", "cpu", "webgpu"]);
  const kernelWanted = oneOf<"auto" | KernelKind>("kernel", o.kernel ?? "auto", ["auto", ...KERNEL_KINDS]);
  const colouring = oneOf("colouring", o.colouring ?? "auto", ["auto", 2, 4] as const);
  const init = oneOf("init", o.init ?? "cold", ["cold", "hot"] as const);
  const workers = o.workers === undefined ? undefined : checkInt("workers", o.workers, 1, 256);
  let temperingEvery = 0;
  if (o.tempering) {
    if (typeof o.tempering !== "object")
      throw new PhysmlInputError("tempering", "{ every } or false", typeof o.tempering);
    temperingEvery = checkInt("tempering.every", o.tempering.every, 1, 2 ** 31);
    if (chains < 2)
      throw new PhysmlInputError("chains", "at least 2 with tempering (one per temperature slot)", chains);
  }
  const cs = couplingsPerChain(o.couplings, chains);

  const kernel = chooseKernel(kernelWanted, {
    couplings: cs,
    tempering: temperingEvery > 0,
    colouring,
    lattice: o.lattice,
  });
  const colours = colouring === "auto" ? autoColours(kernel, twoColourApplies(cs)) : colouring;
  checkCouplingsFit(cs, kernel, colours, "couplings");
  return {
    lattice: o.lattice,
    chains,
    seed,
    backend,
    kernel,
    colours,
    couplings: cs,
    temperingEvery,
    init,
    workers,
  };
}
