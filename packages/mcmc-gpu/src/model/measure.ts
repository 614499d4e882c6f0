// Per-sample measurements of any model description, from one chain's configuration:
// the term sums S_t (term order), the magnetisation vector M = Σ s_i (1 component for Ising),
// and for O(n) spins the two pieces of the helicity modulus (twist in the (s⁰, s¹) plane along
// lattice direction x) and, for XY on the square lattice, the number of vortices + antivortices.
import { isingTermSums, type Model, modelTables, onTermSums } from "@physml/lattice-core";

/** Where each quantity sits in one sample's row. */
export interface MeasureLayout {
  /** Values per sample. */
  width: number;
  terms: number;
  /** Offset and length of the magnetisation vector. */
  magnetization: number;
  components: number;
  /** Offsets of e_x = Σ c dx² (s_i⁰s_j⁰ + s_i¹s_j¹) and j_x = Σ c dx (s_i⁰s_j¹ − s_i¹s_j⁰), or −1. */
  helicityE: number;
  helicityJ: number;
  /** Offset of the vortex count, or −1. */
  vortices: number;
}

/** The row layout for a model. */
export function measureLayout(model: Model): MeasureLayout {
  const nT = model.terms.length;
  const comps = model.spin.kind === "ising" ? 1 : model.spin.n;
  const on = model.spin.kind === "on";
  const vort = on && model.spin.kind === "on" && model.spin.n === 2 && model.lattice.kind === "square";
  const helicityE = on ? nT + comps : -1;
  return {
    width: nT + comps + (on ? 2 : 0) + (vort ? 1 : 0),
    terms: 0,
    magnetization: nT,
    components: comps,
    helicityE,
    helicityJ: on ? helicityE + 1 : -1,
    vortices: vort ? nT + comps + 2 : -1,
  };
}

const wrap = (a: number): number => a - 2 * Math.PI * Math.round(a / (2 * Math.PI));

/** Measures the configuration at `spins[offset…]` into `out[o … o + width)`. */
export function measureModel(
  model: Model,
  spins: Int8Array | Float64Array,
  offset: number,
  out: Float64Array,
  o: number,
): void {
  const lay = measureLayout(model);
  const tb = modelTables(model);
  const N = tb.lattice.nSites;
  if (model.spin.kind === "ising") {
    const s = spins as Int8Array;
    out.set(isingTermSums(model, s, offset), o);
    let m = 0;
    for (let i = 0; i < N; i++) m += s[offset + i];
    out[o + lay.magnetization] = m;
    return;
  }
  const n = model.spin.n;
  const s = spins as Float64Array;
  out.set(onTermSums(model, s, offset), o);
  for (let a = 0; a < n; a++) {
    let m = 0;
    for (let i = 0; i < N; i++) m += s[offset + i * n + a];
    out[o + lay.magnetization + a] = m;
  }
  let e = 0;
  let jx = 0;
  tb.terms.forEach((t, ti) => {
    const c = model.terms[ti].coupling;
    model.terms[ti].shapes.forEach((shape, si) => {
      if (shape.length !== 2) return;
      const dx = shape[1][0] - shape[0][0];
      if (dx === 0) return;
      const sites = t.instances[si].sites;
      for (let x = 0; x < sites.length; x += 2) {
        const a = offset + n * sites[x];
        const b = offset + n * sites[x + 1];
        e += c * dx * dx * (s[a] * s[b] + s[a + 1] * s[b + 1]);
        jx += c * dx * (s[a] * s[b + 1] - s[a + 1] * s[b]);
      }
    });
  });
  out[o + lay.helicityE] = e;
  out[o + lay.helicityJ] = jx;
  if (lay.vortices >= 0) {
    const [Lx, Ly] = tb.lattice.sides;
    const theta = (x: number, y: number) => {
      const i = offset + n * (((y + Ly) % Ly) * Lx + ((x + Lx) % Lx));
      return Math.atan2(s[i + 1], s[i]);
    };
    let v = 0;
    for (let y = 0; y < Ly; y++)
      for (let x = 0; x < Lx; x++) {
        const a = theta(x, y);
        const b = theta(x + 1, y);
        const c = theta(x + 1, y + 1);
        const d = theta(x, y + 1);
        const w = wrap(b - a) + wrap(c - b) + wrap(d - c) + wrap(a - d);
        v += Math.abs(Math.round(w / (2 * Math.PI)));
      }
    out[o + lay.vortices] = v;
  }
}
