// The per-chain proposal width shared by the continuous-spin Metropolis rules: widths adapted
// towards 50% acceptance after every sweep while `adapting` is on (thermalisation only), the
// acceptance counts, and the sweep as colour classes in order. A rule supplies the update of a
// slice of one colour class.
import { type Model, modelTables } from "@physml/lattice-core";
import {
  type AdaptiveRule,
  adaptiveStats,
  adaptWidth,
  type ChainState,
  type ColourRule,
} from "../update-rule.js";
import { checkStencil } from "./ising-metropolis.js";

export abstract class AdaptiveWidthRule implements ColourRule<Float64Array>, AdaptiveRule {
  abstract readonly name: string;
  abstract readonly grain: number;
  /** Proposal width per chain. */
  readonly widths: Float64Array;
  /** Accepted / attempted moves per chain since the last {@link resetCounts}. */
  readonly accepted: Float64Array;
  readonly attempted: Float64Array;
  /** When true, every sweep moves the chain's width towards 50% acceptance. */
  adapting = true;
  readonly classes: readonly Int32Array[];
  protected readonly colouredTerms: readonly boolean[];
  protected readonly nSites: number;

  /**
   * `stats`: an existing `[widths | accepted | attempted]` buffer (shared with other threads),
   * used as is; without it the widths start at `initialWidth` (at most `maxWidth`).
   */
  constructor(
    model: Model,
    chains: number,
    initialWidth: number,
    stats: ArrayBufferLike | undefined,
    private readonly maxWidth: number,
  ) {
    checkStencil(model);
    ({
      widths: this.widths,
      accepted: this.accepted,
      attempted: this.attempted,
    } = adaptiveStats(chains, stats));
    if (!stats) this.widths.fill(Math.min(maxWidth, initialWidth));
    const tb = modelTables(model);
    this.nSites = tb.lattice.nSites;
    this.colouredTerms = tb.colouredTerms;
    this.classes = tb.colouring.classes;
  }

  abstract setModel(model: Model): void;

  /** Updates sites [from, to) of colour class k of chain c at sweep n; returns the accepted moves. */
  abstract updateColour(
    state: ChainState<Float64Array>,
    c: number,
    n: number,
    k: number,
    from: number,
    to: number,
  ): number;

  resetCounts(): void {
    this.accepted.fill(0);
    this.attempted.fill(0);
  }

  sweep(state: ChainState<Float64Array>, c: number, n: number): void {
    let acc = 0;
    for (let k = 0; k < this.classes.length; k++)
      acc += this.updateColour(state, c, n, k, 0, this.classes[k].length);
    this.endSweep(c, acc);
  }

  endSweep(c: number, acc: number): void {
    this.accepted[c] += acc;
    this.attempted[c] += this.nSites;
    if (this.adapting) this.widths[c] = adaptWidth(this.widths[c], acc, this.nSites, this.maxWidth);
  }
}
