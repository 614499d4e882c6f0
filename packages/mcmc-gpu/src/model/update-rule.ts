// The contract of one Markov-chain update rule over a model description (as NetKet's
// MetropolisRule): a rule owns nothing but its parameters; the chains' spins live in the
// sampler state it is given. One rule per file in rules/.
import type { Model } from "@physml/lattice-core";

/** Spins of every chain: Ising `Int8Array [chain][site]`, O(n) `Float64Array [chain][site][n]`. */
export interface ChainState<S extends Int8Array | Float64Array = Int8Array | Float64Array> {
  readonly model: Model;
  readonly chains: number;
  readonly spins: S;
  /** Philox key of the seed (SPEC.md). */
  readonly k0: number;
  readonly k1: number;
}

/** One update rule: sweep `n` (the sweep counter) of chain `c`, in place. */
export interface UpdateRule<S extends Int8Array | Float64Array = Int8Array | Float64Array> {
  /** Short name for logs and results, e.g. `ising-metropolis`. */
  readonly name: string;
  /** Re-derives coupling-dependent tables after the model's couplings changed. */
  setModel(model: Model): void;
  /** Applies sweep `n` to chain `c` of `state`. */
  sweep(state: ChainState<S>, c: number, n: number): void;
}
