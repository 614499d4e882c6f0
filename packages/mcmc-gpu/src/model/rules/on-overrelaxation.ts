// Over-relaxation for O(n) spins: reflect every spin about its local field,
// s' = 2 (s·h / h·h) h − s. The energy −s·h is unchanged (a microcanonical move, accepted
// always) and the move is its own inverse, so it keeps the Boltzmann distribution; combined
// with Metropolis sweeps it shortens autocorrelation times. Deterministic: no random words.
import { type Model, modelTables } from "@physml/lattice-core";
import type { ChainState, ColourRule } from "../update-rule.js";
import { checkColouringFits, checkStencil } from "./ising-metropolis.js";
import { type FlatField, flatField, localField } from "./on-field.js";

export class OnOverrelaxation implements ColourRule<Float64Array> {
  readonly name = "on-overrelaxation";
  readonly grain = 1;
  private readonly colouredTerms: readonly boolean[];
  readonly classes: readonly Int32Array[];
  private readonly h: Float64Array;
  private field: FlatField;

  constructor(private model: Model) {
    checkStencil(model);
    const tb = modelTables(model);
    this.colouredTerms = tb.colouredTerms;
    this.classes = tb.colouring.classes;
    this.h = new Float64Array((model.spin as { n: number }).n);
    this.field = flatField(model);
  }

  setModel(model: Model): void {
    checkColouringFits(this.colouredTerms, model);
    this.model = model;
    this.field = flatField(model);
  }

  sweep(state: ChainState<Float64Array>, c: number, n: number): void {
    for (let k = 0; k < this.classes.length; k++)
      this.updateColour(state, c, n, k, 0, this.classes[k].length);
  }

  endSweep(): void {}

  updateColour(
    state: ChainState<Float64Array>,
    c: number,
    _n: number,
    k: number,
    from: number,
    to: number,
  ): number {
    const dim = (this.model.spin as { n: number }).n;
    const N = modelTables(this.model).lattice.nSites;
    const sp = state.spins;
    const base = c * N * dim;
    const h = this.h;
    const { nb, nNb, bonds, coupling, hConst } = this.field;
    const cls = this.classes[k];
    for (let j = from; j < to; j++) {
      const o = base + cls[j] * dim;
      localField(sp, base, dim, cls[j], nb, nNb, bonds, coupling, hConst, h);
      let sh = 0;
      let hh = 0;
      for (let a = 0; a < dim; a++) {
        sh += sp[o + a] * h[a];
        hh += h[a] * h[a];
      }
      if (hh === 0) continue;
      const f = (2 * sh) / hh;
      for (let a = 0; a < dim; a++) sp[o + a] = f * h[a] - sp[o + a];
    }
    return 0;
  }
}
