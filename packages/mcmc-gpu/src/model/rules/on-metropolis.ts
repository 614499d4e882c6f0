// Metropolis for O(n) spins (Float64): propose s' = (s + δ_c g)/|s + δ_c g| with g a standard
// normal vector (isotropic about s, so the proposal is symmetric), accept with probability
// min(1, exp(−ΔE)), ΔE = −(s' − s)·h from the local field h. The width δ_c is per chain and,
// while `adapting` is on (thermalisation only: adaptation during measurement would break
// detailed balance), moves towards 50% acceptance after every sweep.
// Random words: site j of colour k in chain c at sweep n uses the 8 words of
// Philox(key, (c, n, 0x40000000 + k, 2j)) and (…, 2j+1): 3 Box–Muller pairs, then word 7.
import { type Model, PhysmlInputError } from "@physml/lattice-core";
import { fastPhilox } from "../../rng/philox-wasm.js";
import type { ChainState } from "../update-rule.js";
import { AdaptiveWidthRule } from "./adaptive-width.js";
import { checkColouringFits } from "./ising-metropolis.js";
import { type FlatField, flatField, localField } from "./on-field.js";

/** Spin components the O(n) rules support (3 Box–Muller pairs per site). */
export const MAX_ON_COMPONENTS = 6;
const STREAM = 0x40000000;
const U32 = 4294967296;

/** Largest proposal width of {@link OnMetropolis}. */
export const ON_MAX_WIDTH = 10;

export class OnMetropolis extends AdaptiveWidthRule {
  readonly name = "on-metropolis";
  readonly grain = 1;
  private field: FlatField;
  private readonly h: Float64Array;
  private readonly g: Float64Array;

  /**
   * `stats`: an existing `[widths | accepted | attempted]` buffer (shared with other threads),
   * used as is; without it the widths start at `initialWidth`.
   */
  constructor(
    private model: Model,
    chains: number,
    initialWidth = 1,
    stats?: ArrayBufferLike,
  ) {
    super(model, chains, initialWidth, stats, ON_MAX_WIDTH);
    const n = model.spin.kind === "on" ? model.spin.n : 0;
    if (n < 2 || n > MAX_ON_COMPONENTS) {
      throw new PhysmlInputError("model.spin", `O(n) spins with 2 ≤ n ≤ ${MAX_ON_COMPONENTS}`, n);
    }
    this.h = new Float64Array(n);
    this.field = flatField(model);
    this.g = new Float64Array(MAX_ON_COMPONENTS);
  }

  setModel(model: Model): void {
    checkColouringFits(this.colouredTerms, model);
    this.model = model;
    this.field = flatField(model);
  }

  updateColour(
    state: ChainState<Float64Array>,
    c: number,
    n: number,
    k: number,
    from: number,
    to: number,
  ): number {
    const dim = (this.model.spin as { n: number }).n;
    const sp = state.spins;
    const base = c * this.nSites * dim;
    const { h, g } = this;
    const { nb, nNb, bonds, coupling, hConst } = this.field;
    const delta = this.widths[c];
    const rng = fastPhilox;
    const w = rng.words;
    rng.setKey(state.k0, state.k1);
    let acc = 0;
    const cls = this.classes[k];
    for (let j = from; j < to; j++) {
      // Counters (c, n, 2^30 + k, 2j) and (…, 2j + 1) in one interleaved call: words 0…7.
      rng.philoxNextBlock(c, n, STREAM + k, 2 * j);
      for (let p = 0; p < 3; p++) {
        const r = Math.sqrt(-2 * Math.log((w[2 * p] + 1) / U32));
        const phi = (2 * Math.PI * w[2 * p + 1]) / U32;
        g[2 * p] = r * Math.cos(phi);
        g[2 * p + 1] = r * Math.sin(phi);
      }
      const i = cls[j];
      const o = base + i * dim;
      localField(sp, base, dim, i, nb, nNb, bonds, coupling, hConst, h);
      let norm = 0;
      for (let a = 0; a < dim; a++) {
        g[a] = sp[o + a] + delta * g[a];
        norm += g[a] * g[a];
      }
      if (norm === 0) continue;
      const inv = 1 / Math.sqrt(norm);
      let dE = 0;
      for (let a = 0; a < dim; a++) {
        g[a] *= inv;
        dE -= (g[a] - sp[o + a]) * h[a];
      }
      if (dE <= 0 || w[7] / U32 < Math.exp(-dE)) {
        for (let a = 0; a < dim; a++) sp[o + a] = g[a];
        acc++;
      }
    }
    return acc;
  }
}
