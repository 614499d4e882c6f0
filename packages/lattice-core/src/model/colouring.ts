// A proper colouring of a stencil's interaction graph: two sites that share a term never get
// the same colour, so all sites of one colour can be updated at once. Structured colourings
// (a p₁×p₂×… sublattice, or (a·x) mod C) are preferred because they are translation-periodic and
// reproduce the classic checkerboards: 2 colours (x+y) mod 2 for nn, 4 colours
// (x mod 2) + 2(y mod 2) for nnn + plaquette; a greedy colouring covers every other lattice.
import type { PeriodicLattice } from "./geometry.js";
import type { Offset } from "./types.js";

/** A colouring: `colourOf[i]` and the sites of each colour in increasing site order. */
export interface Colouring {
  readonly colours: number;
  readonly colourOf: Int32Array;
  readonly classes: readonly Int32Array[];
  /** How it was found: `sublattice p1xp2…`, `linear a·x mod C` or `greedy`. */
  readonly rule: string;
}

/** Largest colour count tried for structured colourings before falling back to greedy. */
const MAX_STRUCTURED = 16;

function factorisations(c: number, dim: number): number[][] {
  if (dim === 1) return [[c]];
  const out: number[][] = [];
  for (let p = 1; p <= c; p++) {
    if (c % p !== 0) continue;
    for (const rest of factorisations(c / p, dim - 1)) out.push([p, ...rest]);
  }
  return out;
}

function vectors(c: number, dim: number): number[][] {
  if (dim === 0) return [[]];
  const out: number[][] = [];
  for (const rest of vectors(c, dim - 1)) for (let a = 0; a < c; a++) out.push([...rest, a]);
  return out;
}

const mod = (a: number, m: number): number => ((a % m) + m) % m;

function finish(lat: PeriodicLattice, colours: number, f: (x: number[]) => number, rule: string): Colouring {
  const colourOf = new Int32Array(lat.nSites);
  for (let i = 0; i < lat.nSites; i++) colourOf[i] = f(lat.coords(i));
  return { colours, colourOf, classes: classesOf(colourOf, colours), rule };
}

function classesOf(colourOf: Int32Array, colours: number): Int32Array[] {
  const lists: number[][] = Array.from({ length: colours }, () => []);
  colourOf.forEach((c, i) => {
    lists[c].push(i);
  });
  return lists.map((l) => Int32Array.from(l));
}

/**
 * A proper colouring of the graph joining i and i+d for every d in `differences` (the offsets
 * between two sites of one term instance). Differences that are periods of the lattice (a site
 * sharing a term with itself) are ignored. `neighbours(i)` lists the sites interacting with i
 * (used by the greedy fallback).
 */
export function stencilColouring(
  lat: PeriodicLattice,
  differences: readonly Offset[],
  neighbours: (i: number) => Iterable<number>,
): Colouring {
  const diffs = differences.filter((d) => !lat.isPeriod(d));
  if (diffs.length === 0) return finish(lat, 1, () => 0, "single colour");
  const greedy = greedyColouring(lat, neighbours);
  for (let c = 2; c <= Math.min(MAX_STRUCTURED, greedy.colours); c++) {
    for (const p of factorisations(c, lat.dim)) {
      if (p.some((pd, d) => lat.sides[d] % pd !== 0)) continue;
      if (diffs.every((o) => o.some((v, d) => mod(v, p[d]) !== 0))) {
        const stride = p.map((_, d) => p.slice(0, d).reduce((a, b) => a * b, 1));
        return finish(
          lat,
          c,
          (x) => x.reduce((a, v, d) => a + (v % p[d]) * stride[d], 0),
          `sublattice ${p.join("x")}`,
        );
      }
    }
    for (const a of vectors(c, lat.dim)) {
      if (a.some((ad, d) => (ad * lat.sides[d]) % c !== 0)) continue;
      if (
        diffs.every(
          (o) =>
            mod(
              o.reduce((s, v, d) => s + v * a[d], 0),
              c,
            ) !== 0,
        )
      ) {
        return finish(
          lat,
          c,
          (x) =>
            mod(
              x.reduce((s, v, d) => s + v * a[d], 0),
              c,
            ),
          `linear (${a.join(",")})·x mod ${c}`,
        );
      }
    }
  }
  return greedy;
}

function greedyColouring(lat: PeriodicLattice, neighbours: (i: number) => Iterable<number>): Colouring {
  const colourOf = new Int32Array(lat.nSites).fill(-1);
  let colours = 0;
  for (let i = 0; i < lat.nSites; i++) {
    const used = new Set<number>();
    for (const j of neighbours(i)) if (j !== i && colourOf[j] >= 0) used.add(colourOf[j]);
    let c = 0;
    while (used.has(c)) c++;
    colourOf[i] = c;
    colours = Math.max(colours, c + 1);
  }
  return { colours, colourOf, classes: classesOf(colourOf, colours), rule: "greedy" };
}
