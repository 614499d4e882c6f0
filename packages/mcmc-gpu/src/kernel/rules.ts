// What decides whether an update kernel can run a sampler, independent of the backend: one
// object per kernel (int.ts, packed.ts), so the options and the backends' checks ask the
// kernel instead of branching on its name.
import type { Couplings, SquareLattice } from "@physml/lattice-core";
import type { KernelKind } from "../backend.js";

/** The parts of a sampler's options that decide which kernels can run it. */
export interface KernelChoice {
  couplings: readonly Couplings[];
  /** Replica exchange is on. */
  tempering: boolean;
  colouring: "auto" | 2 | 4;
  lattice: SquareLattice;
}

/** The backend-independent rules of one update kernel (SPEC.md). */
export interface KernelRules {
  readonly kind: KernelKind;
  /** The colouring the kernel always runs, or null: then 2 when the couplings allow it, else 4. */
  readonly colours: 2 | null;
  /** Why the kernel cannot run a sampler with these options (the allowed range), or null when it can. */
  refusal(choice: KernelChoice): string | null;
  /** Throws a PhysmlInputError naming `field` when new couplings do not fit a sampler on this kernel. */
  checkFit(cs: readonly Couplings[], field: string): void;
  /** Throws a PhysmlInputError naming `couplings[k]` when chain k's couplings cannot run on this kernel. */
  checkChain(cs: readonly Couplings[], k: number): void;
}
