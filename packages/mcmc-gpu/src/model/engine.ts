// The CPU state of a model sampler as plain (shareable) memory plus the sweeps of a range of
// chains or of a slice of every colour class. The main thread and the worker threads each
// build a ModelEngine over the same SharedArrayBuffers (as cpu/engine.ts does for the square
// kernels); every random word is a function of (seed, chain, sweep, colour, site), so the
// result does not depend on how the work is split.
import { type Model, withCouplings } from "@physml/lattice-core";
import { barrierAbort, barrierWait } from "../cpu/barrier.js";
import { IsingMetropolis } from "./rules/ising-metropolis.js";
import { OnMetropolis } from "./rules/on-metropolis.js";
import { OnOverrelaxation } from "./rules/on-overrelaxation.js";
import { XyMetropolis } from "./rules/xy-metropolis.js";
import type { AdaptiveRule, ChainState, ColourRule } from "./update-rule.js";

/** Everything needed to rebuild a ModelEngine in another thread (structured-clone friendly). */
export interface ModelEngineDescriptor {
  kind: "model";
  model: Model;
  chains: number;
  k0: number;
  k1: number;
  /** O(n): over-relaxation sweeps after each Metropolis sweep. */
  overrelaxation: number;
  /** Ising `Int8 [chain][site]`, O(n) `Float64 [chain][site][n]`. */
  spins: SharedArrayBuffer | ArrayBuffer;
  /** O(n): the Metropolis rule's `[widths | accepted | attempted]` (Float64 × chains each). */
  stats: SharedArrayBuffer | ArrayBuffer;
}

/** Float64 values per chain in {@link ModelEngineDescriptor.stats}. */
export const STATS_PER_CHAIN = 3;

/** Initial O(n) proposal width (radians for XY). */
const INITIAL_WIDTH = 1;

/** The rules of a sweep: Ising Metropolis; XY Metropolis; other O(n) Metropolis; then over-relaxation. */
function buildRules(d: ModelEngineDescriptor): {
  rules: { rule: ColourRule; repeat: number }[];
  adaptive: AdaptiveRule | null;
} {
  const m = d.model;
  if (m.spin.kind === "ising")
    return { rules: [{ rule: new IsingMetropolis(m), repeat: 1 }], adaptive: null };
  const met =
    m.spin.n === 2
      ? new XyMetropolis(m, d.chains, INITIAL_WIDTH, d.stats)
      : new OnMetropolis(m, d.chains, INITIAL_WIDTH, d.stats);
  const rules: { rule: ColourRule; repeat: number }[] = [{ rule: met as ColourRule, repeat: 1 }];
  if (d.overrelaxation > 0) rules.push({ rule: new OnOverrelaxation(m), repeat: d.overrelaxation });
  return { rules, adaptive: met };
}

/** Creates the shared buffers of a descriptor (initial widths set; spins zero). */
export function modelEngineDescriptor(
  model: Model,
  chains: number,
  key: [number, number],
  overrelaxation: number,
  spinBytes: number,
  shared: boolean,
): ModelEngineDescriptor {
  const alloc = (n: number) =>
    shared ? new SharedArrayBuffer(Math.max(8, n)) : new ArrayBuffer(Math.max(8, n));
  const stats = alloc(STATS_PER_CHAIN * 8 * chains);
  new Float64Array(stats, 0, chains).fill(
    model.spin.kind === "on" && model.spin.n === 2 ? Math.min(Math.PI, INITIAL_WIDTH) : INITIAL_WIDTH,
  );
  return {
    kind: "model",
    model,
    chains,
    k0: key[0],
    k1: key[1],
    overrelaxation,
    spins: alloc(spinBytes),
    stats,
  };
}

export class ModelEngine {
  readonly state: ChainState;
  readonly rules: readonly { rule: ColourRule; repeat: number }[];
  /** The O(n) Metropolis rule (its widths and counts live in the shared stats buffer). */
  readonly adaptive: AdaptiveRule | null;

  constructor(readonly desc: ModelEngineDescriptor) {
    // A Model is plain data: a worker's structured clone of it is the same description.
    const model = desc.model;
    const spins = model.spin.kind === "ising" ? new Int8Array(desc.spins) : new Float64Array(desc.spins);
    this.state = { model, chains: desc.chains, spins, k0: desc.k0, k1: desc.k1 };
    ({ rules: this.rules, adaptive: this.adaptive } = buildRules(desc));
  }

  /** New couplings (term order) for every rule. */
  setCouplings(couplings: readonly number[]): void {
    const next = withCouplings(this.state.model, couplings);
    (this.state as { model: Model }).model = next;
    for (const { rule } of this.rules) rule.setModel(next);
  }

  setAdapting(on: boolean): void {
    if (this.adaptive) this.adaptive.adapting = on;
  }

  /** Sweeps `n0 … n0+count−1` of chains `[from, to)`. */
  sweeps(from: number, to: number, n0: number, count: number): void {
    for (let c = from; c < to; c++)
      for (let s = 0; s < count; s++) {
        const n = (n0 + s) >>> 0;
        for (const { rule, repeat } of this.rules)
          for (let r = 0; r < repeat; r++) rule.sweep(this.state, c, n);
      }
  }

  /**
   * Part `part` of `parts` threads of sweeps `n0 … n0+count−1` of every chain, with the sites of
   * each colour class split at multiples of the rule's grain and a barrier after every class.
   * Accepted counts per chain and part go to `counts[part·chains + c]`; part 0 sums them in part
   * order and ends the sweep (width adaptation), then a last barrier publishes the widths.
   */
  sweepsSplit(
    part: number,
    parts: number,
    n0: number,
    count: number,
    barrier: Int32Array,
    counts: Float64Array,
  ): void {
    const chains = this.desc.chains;
    try {
      for (let s = 0; s < count; s++) {
        const n = (n0 + s) >>> 0;
        for (const { rule, repeat } of this.rules) {
          const g = rule.grain;
          for (let r = 0; r < repeat; r++) {
            for (let c = 0; c < chains; c++) counts[part * chains + c] = 0;
            for (let k = 0; k < rule.classes.length; k++) {
              const blocks = Math.ceil(rule.classes[k].length / g);
              const from = Math.floor((blocks * part) / parts) * g;
              const to = Math.min(rule.classes[k].length, Math.floor((blocks * (part + 1)) / parts) * g);
              for (let c = 0; c < chains; c++)
                counts[part * chains + c] += rule.updateColour(this.state, c, n, k, from, to);
              barrierWait(barrier, parts);
            }
            if (part === 0)
              for (let c = 0; c < chains; c++) {
                let acc = 0;
                for (let p = 0; p < parts; p++) acc += counts[p * chains + c];
                rule.endSweep(c, acc);
              }
            barrierWait(barrier, parts);
          }
        }
      }
    } catch (e) {
      barrierAbort(barrier);
      throw e;
    }
  }
}
