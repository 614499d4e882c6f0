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

/**
 * A rule whose sweep is a sequence of colour classes whose sites do not interact and whose
 * random words are functions of (chain, sweep, colour, site), so the sites of one class can be
 * split across threads (at multiples of `grain`) with the same result as one thread.
 * `sweep(state, c, n)` is `updateColour` over every class followed by `endSweep`.
 */
export interface ColourRule<S extends Int8Array | Float64Array = Int8Array | Float64Array>
  extends UpdateRule<S> {
  /** The colour classes (site indices). */
  readonly classes: readonly Int32Array[];
  /** Split points inside a class must be multiples of this (one block of random words). */
  readonly grain: number;
  /** Updates sites `classes[k][from…to)` of chain `c` at sweep `n`; returns the accepted moves. */
  updateColour(state: ChainState<S>, c: number, n: number, k: number, from: number, to: number): number;
  /** After every class of sweep `n` of chain c: `accepted` moves in the sweep (adaptation). */
  endSweep(c: number, accepted: number): void;
}

/**
 * A Metropolis rule with a per-chain proposal width adapted towards 50% acceptance while
 * `adapting` (thermalisation only: adapting while measuring would break detailed balance).
 */
export interface AdaptiveRule {
  readonly widths: Float64Array;
  /** Accepted / attempted moves per chain since the last {@link resetCounts}. */
  readonly accepted: Float64Array;
  readonly attempted: Float64Array;
  adapting: boolean;
  resetCounts(): void;
}

/** Per-chain adaptation state `[widths | accepted | attempted]`, possibly shared between threads. */
export function adaptiveStats(
  chains: number,
  buffer?: ArrayBufferLike,
): {
  widths: Float64Array;
  accepted: Float64Array;
  attempted: Float64Array;
} {
  const b = buffer ?? new ArrayBuffer(3 * 8 * chains);
  return {
    widths: new Float64Array(b, 0, chains),
    accepted: new Float64Array(b, 8 * chains, chains),
    attempted: new Float64Array(b, 16 * chains, chains),
  };
}

/** The adaptation step shared by the O(n) Metropolis rules: width × exp(rate − ½), clamped. */
export function adaptWidth(width: number, accepted: number, sites: number, max: number): number {
  return Math.min(max, Math.max(1e-3, width * Math.exp(accepted / sites - 0.5)));
}
