// Direct evaluation of a model description from lattice coordinates, written independently of
// src/model (no stencils, tables or PeriodicLattice): the reference the model tests compare to.
import type { Model, Offset } from "../src/model/types.js";

/** Sides of the model's lattice, x fastest. */
export function sidesOf(model: Model): number[] {
  const l = model.lattice;
  if (l.kind === "chain") return [l.L];
  if (l.kind === "square") return [l.Lx, l.Ly];
  return [l.L, l.L, l.L];
}

/** Coordinates of site i (site = x + Lx·(y + Ly·z)). */
export function coordsOf(i: number, sides: readonly number[]): number[] {
  const x: number[] = [];
  let r = i;
  for (const L of sides) {
    x.push(r % L);
    r = Math.floor(r / L);
  }
  return x;
}

/** Site of unwrapped coordinates x (periodic), and how often each axis was wrapped (signed). */
export function wrap(x: readonly number[], sides: readonly number[]): { site: number; wraps: number[] } {
  let site = 0;
  let scale = 1;
  const wraps: number[] = [];
  sides.forEach((L, d) => {
    let v = x[d];
    let w = 0;
    // Step back into [0, L) one period at a time: w counts the boundary crossings.
    while (v < 0) {
      v += L;
      w--;
    }
    while (v >= L) {
      v -= L;
      w++;
    }
    wraps.push(w);
    site += v * scale;
    scale *= L;
  });
  return { site, wraps };
}

/** One instance of a shape at site x: its sites and the twist sign of its product. */
export interface Instance {
  sites: number[];
  sign: number;
}

const known = new WeakMap<Model, Instance[][]>();

/** Every instance (all translates of every shape) of term t (computed once per model). */
export function instancesOf(model: Model, t: number): Instance[] {
  let all = known.get(model);
  if (!all) {
    all = model.terms.map((_, k) => listInstances(model, k));
    known.set(model, all);
  }
  return all[t];
}

function listInstances(model: Model, t: number): Instance[] {
  const sides = sidesOf(model);
  const N = sides.reduce((a, b) => a * b, 1);
  const twist = model.lattice.twist ?? [];
  const out: Instance[] = [];
  for (const shape of model.terms[t].shapes)
    for (let i = 0; i < N; i++) {
      const x = coordsOf(i, sides);
      let sign = 1;
      const sites = shape.map((o: Offset) => {
        const w = wrap(
          x.map((v, d) => v + o[d]),
          sides,
        );
        w.wraps.forEach((n, d) => {
          if (twist[d] && n % 2 !== 0) sign = -sign;
        });
        return w.site;
      });
      out.push({ sites, sign });
    }
  return out;
}

/** S_t of an Ising configuration, straight from the definition (twist signs included). */
export function isingSumsDirect(model: Model, s: ArrayLike<number>): number[] {
  return model.terms.map((_, t) =>
    instancesOf(model, t).reduce((a, { sites, sign }) => a + sites.reduce((p, j) => p * s[j], sign), 0),
  );
}

/** H = −Σ_t c_t S_t of an Ising configuration. */
export function isingEnergyDirect(model: Model, s: ArrayLike<number>): number {
  const S = isingSumsDirect(model, s);
  return -model.terms.reduce((a, term, t) => a + term.coupling * S[t], 0);
}

/** S_t of an O(n) configuration `s[i·n + a]`: dot products of 2-site shapes, component `axis` of fields. */
export function onSumsDirect(model: Model, n: number, s: ArrayLike<number>): number[] {
  return model.terms.map((term, t) =>
    instancesOf(model, t).reduce((a, { sites }) => {
      if (sites.length === 1) return a + s[n * sites[0] + term.axis];
      let dot = 0;
      for (let c = 0; c < n; c++) dot += s[n * sites[0] + c] * s[n * sites[1] + c];
      return a + dot;
    }, 0),
  );
}

/** Ising configuration number c of 2^N: bit i set → spin i = −1. */
export function configOf(c: number, N: number): Int8Array {
  return Int8Array.from({ length: N }, (_, i) => ((c >> i) & 1 ? -1 : 1));
}

/** The interaction graph: i ~ j iff distinct i, j lie in one instance of a term with coupling ≠ 0. */
export function interactionGraph(model: Model): Set<number>[] {
  const N = sidesOf(model).reduce((a, b) => a * b, 1);
  const adj = Array.from({ length: N }, () => new Set<number>());
  model.terms.forEach((term, t) => {
    if (term.coupling === 0) return;
    for (const { sites } of instancesOf(model, t))
      for (const a of sites)
        for (const b of sites)
          if (a !== b) {
            adj[a].add(b);
            adj[b].add(a);
          }
  });
  return adj;
}

/** Smallest number of colours of a proper colouring of the graph (backtracking; tiny graphs). */
export function chromaticNumber(adj: readonly Set<number>[]): number {
  const N = adj.length;
  const colour = new Int32Array(N).fill(-1);
  const fits = (k: number, i: number): boolean => {
    if (i === N) return true;
    for (let c = 0; c < k; c++) {
      let ok = true;
      for (const j of adj[i]) if (colour[j] === c) ok = false;
      if (!ok) continue;
      colour[i] = c;
      if (fits(k, i + 1)) return true;
      colour[i] = -1;
    }
    return false;
  };
  for (let k = 1; ; k++) {
    colour.fill(-1);
    if (fits(k, 0)) return k;
  }
}
