// Metropolis for XY spins (O(2), Float64 components): rotate s by one angle δ drawn uniformly
// from [−w_c, w_c] (w_c per chain, adapted as in OnMetropolis, at most π), accept with
// min(1, exp(−ΔE)), ΔE = −(s' − s)·h from the local field h.
// Detailed balance: the proposal is a rotation by δ with δ and −δ equally likely, so
// q(s → s') = q(s' → s). cos δ and sin δ come from polynomials (cos δ/4 even, sin δ/4 odd in δ,
// then two angle doublings), so the computed rotation by −δ is exactly the transpose of the one
// by δ and the realised angle is an odd function of δ within 1e-10 of it (symmetric exactly,
// uniform to 1e-10); |s| = 1 is kept to rounding by one Newton step s' ← s'(3 − |s'|²)/2 after
// every move (the rotation's own norm error, ≤ 1e-10, leaves ≈ 1e-20 after it).
// The acceptance needs no branch in most cases: v < 1 − ΔE ≤ e^−ΔE accepts for sure (every
// ΔE ≤ 0 among them) and v ≥ 1/(1 + ΔE) ≥ e^−ΔE rejects for sure; only in between is exp
// evaluated. The accept/reject outcome is unpredictable by nature, so the spin is written with
// a 0/1 blend rather than a branch (a mispredicted branch would cost the whole chain of
// dependent arithmetic before it).
// Random words: the sites of colour class k in chain c at sweep n come in blocks of 64
// (block b = ⌊j/64⌋); Philox(key, (c, n, 0x50000000 + k, b)) seeds a xoshiro128** stream whose
// words 2q and 2q + 1 are the angle and the acceptance word of site j = 64b + q. One Philox call
// per 64 sites instead of one per 4; every word is still a function of (seed, c, n, k, j) only,
// so the result does not depend on how chains or sites are split across threads.
import { type Model, PhysmlInputError } from "@physml/lattice-core";
import { fastPhilox } from "../../rng/philox-wasm.js";
import type { ChainState } from "../update-rule.js";
import { AdaptiveWidthRule } from "./adaptive-width.js";
import { checkColouringFits } from "./ising-metropolis.js";
import { flatField } from "./on-field.js";

const STREAM = 0x50000000;
/** Sites per Philox-seeded xoshiro128** block. */
export const XY_BLOCK = 64;
const TWO_OVER_U32 = 2 / 4294967296;
const INV_U32 = 1 / 4294967296;

/**
 * cos δ and sin δ for δ ∈ [−π, π] to ≈ 1e-10: Taylor polynomials to the 12th (cos) and 11th
 * (sin) order at δ/4, then two doublings. c is even and s odd in δ exactly (in floating point),
 * so the rotation realised by the rule is by g(δ), an odd function within 1e-10 of δ.
 */
export function xyRotation(delta: number, out: Float64Array): void {
  const x = 0.25 * delta;
  const x2 = x * x;
  const s =
    x * (1 - x2 * (1 / 6 - x2 * (1 / 120 - x2 * (1 / 5040 - x2 * (1 / 362880 - x2 * (1 / 39916800))))));
  const c =
    1 -
    x2 *
      (0.5 - x2 * (1 / 24 - x2 * (1 / 720 - x2 * (1 / 40320 - x2 * (1 / 3628800 - x2 * (1 / 479001600))))));
  const c2 = c * c - s * s;
  const s2 = 2 * c * s;
  out[0] = c2 * c2 - s2 * s2;
  out[1] = 2 * c2 * s2;
}

export class XyMetropolis extends AdaptiveWidthRule {
  readonly name = "xy-metropolis";
  readonly grain = XY_BLOCK;
  /** Per site, the 2-site stencil positions: 2 × (neighbour site) (component offset). */
  private readonly nbr: Int32Array;
  private readonly positions: number;
  private coupling: Float64Array<ArrayBufferLike> = new Float64Array(0);
  /** The common coupling when every 2-site position has the same one (unrolled stencils), else NaN. */
  private uniform = Number.NaN;
  private hx0 = 0;
  private hy0 = 0;
  private readonly rot = new Float64Array(2);

  /** `stats`: as in OnMetropolis (a shared `[widths | accepted | attempted]` buffer, used as is). */
  constructor(model: Model, chains: number, initialWidth = 1, stats?: ArrayBufferLike) {
    super(model, chains, initialWidth, stats, Math.PI);
    if (model.spin.kind !== "on" || model.spin.n !== 2)
      throw new PhysmlInputError("model.spin", "xy (O(2)) spins for the XY rule", JSON.stringify(model.spin));
    const f = flatField(model);
    this.positions = f.bonds.length;
    this.nbr = new Int32Array(this.nSites * this.positions);
    for (let i = 0; i < this.nSites; i++)
      for (let p = 0; p < this.positions; p++)
        this.nbr[i * this.positions + p] = 2 * f.nb[i * f.nNb + f.bonds[p]];
    this.setCouplings(f.coupling, f.hConst);
  }

  private setCouplings(coupling: Float64Array<ArrayBufferLike>, hConst: Float64Array<ArrayBufferLike>): void {
    this.coupling = coupling;
    this.uniform = coupling.every((v) => v === coupling[0]) ? coupling[0] : Number.NaN;
    this.hx0 = hConst[0];
    this.hy0 = hConst[1];
  }

  setModel(model: Model): void {
    checkColouringFits(this.colouredTerms, model);
    const f = flatField(model);
    this.setCouplings(f.coupling, f.hConst);
  }

  updateColour(
    state: ChainState<Float64Array>,
    c: number,
    n: number,
    k: number,
    from: number,
    to: number,
  ): number {
    const sp = state.spins;
    const base = 2 * c * this.nSites;
    const { nbr, coupling, rot } = this;
    const P = this.positions;
    const K = this.uniform;
    // Unrolled stencils for the common shapes: 4 (square nn) and 2 (chain nn) equal couplings.
    const shape = Number.isNaN(K) ? 0 : P;
    const hx0 = this.hx0;
    const hy0 = this.hy0;
    const width = this.widths[c];
    const cls = this.classes[k];
    const rng = fastPhilox;
    const w = rng.iwords;
    rng.setKey(state.k0, state.k1);
    let acc = 0;
    for (let j0 = from - (from % XY_BLOCK); j0 < to; j0 += XY_BLOCK) {
      rng.philox(c, n, STREAM + k, j0 / XY_BLOCK);
      let s0 = w[0];
      let s1 = w[1];
      let s2 = w[2];
      let s3 = w[3];
      if ((s0 | s1 | s2 | s3) === 0) s3 = 1; // xoshiro's one forbidden state (p = 2^-128)
      const q0 = Math.max(from, j0) - j0;
      const q1 = Math.min(to, j0 + XY_BLOCK) - j0;
      for (let q = 0; q < q1; q++) {
        // Two xoshiro128** words: the angle, then the acceptance word.
        let r = Math.imul(s1, 5);
        const ra = Math.imul((r << 7) | (r >>> 25), 9);
        let t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        r = Math.imul(s1, 5);
        const rb = Math.imul((r << 7) | (r >>> 25), 9);
        t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        if (q < q0) continue;
        const i = cls[j0 + q];
        const on = i * P;
        let hx = hx0;
        let hy = hy0;
        if (shape === 4) {
          const a = base + nbr[on];
          const b = base + nbr[on + 1];
          const cc = base + nbr[on + 2];
          const d = base + nbr[on + 3];
          hx += K * (sp[a] + sp[b] + sp[cc] + sp[d]);
          hy += K * (sp[a + 1] + sp[b + 1] + sp[cc + 1] + sp[d + 1]);
        } else if (shape === 2) {
          const a = base + nbr[on];
          const b = base + nbr[on + 1];
          hx += K * (sp[a] + sp[b]);
          hy += K * (sp[a + 1] + sp[b + 1]);
        } else
          for (let p = 0; p < P; p++) {
            const jo = base + nbr[on + p];
            hx += coupling[p] * sp[jo];
            hy += coupling[p] * sp[jo + 1];
          }
        // δ = w (2m + 1 − 2^32)/2^32 for the word m: symmetric about 0, |δ| < w.
        xyRotation(width * (((ra >>> 0) + 0.5) * TWO_OVER_U32 - 1), rot);
        const cs = rot[0];
        const sn = rot[1];
        const o = base + 2 * i;
        const sx = sp[o];
        const sy = sp[o + 1];
        const x = cs * sx - sn * sy;
        const y = sn * sx + cs * sy;
        const dE = (sx - x) * hx + (sy - y) * hy;
        const v = (rb >>> 0) * INV_U32;
        let accept = +(v < 1 - dE);
        if ((+(v >= 1 - dE) & +(v * (1 + dE) < 1)) !== 0) accept = +(v < Math.exp(-dE));
        const f = accept * (1.5 - 0.5 * (x * x + y * y));
        sp[o] = sx + (x * f - accept * sx);
        sp[o + 1] = sy + (y * f - accept * sy);
        acc += accept;
      }
    }
    return acc;
  }
}
