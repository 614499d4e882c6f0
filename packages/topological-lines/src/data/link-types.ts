// The neighbourhood of a link, as one of six types: its spin product x = s_i s_j and how many of
// the two plaquettes beside it are frustrated (plaquette product s s s s = −1). A chunk that is a
// table over these types can see the plaquette terms a deformed model adds, which the two-entry
// table over x alone cannot. The two plaquettes enter symmetrically (through their count) because
// every path is averaged over the square's reflections, which swap them.

/** Number of link types: x ∈ {+1, −1} × frustrated neighbours n ∈ {0, 1, 2}. */
export const LINK_TYPES = 6;

/** Type index of a link: n for x = +1, 3 + n for x = −1. */
export function linkType(x: number, n: number): number {
  return (x < 0 ? 3 : 0) + n;
}

/** The (x, n) of a type index. */
export function typeParts(t: number): { x: 1 | -1; n: number } {
  return { x: t < 3 ? 1 : -1, n: t % 3 };
}

/**
 * The type of every link of configuration `c` (site x + L·y of an L × L torus, configurations
 * of L² spins laid out one after another), in the link order of `pathLinks`: [h(0..N−1),
 * v(0..N−1)], h(i) joining site i to its right neighbour and v(i) to its upper one. Plaquette
 * (x, y) has lower-left corner (x, y); h(x, y) lies between plaquettes (x, y) and (x, y − 1),
 * v(x, y) between (x, y) and (x − 1, y). `out` (length 2L²) is filled and returned.
 */
export function linkTypes(
  spins: Int8Array,
  c: number,
  L: number,
  out = new Uint8Array(2 * L * L),
): Uint8Array {
  const N = L * L;
  const o = c * N;
  const w = (a: number) => (a + L) % L;
  const s = (x: number, y: number) => spins[o + w(x) + L * w(y)];
  // Frustration of plaquette (x, y): 1 when its spin product is −1.
  const f = new Uint8Array(N);
  for (let y = 0; y < L; y++)
    for (let x = 0; x < L; x++)
      f[x + L * y] = s(x, y) * s(x + 1, y) * s(x, y + 1) * s(x + 1, y + 1) < 0 ? 1 : 0;
  for (let y = 0; y < L; y++)
    for (let x = 0; x < L; x++) {
      const i = x + L * y;
      out[i] = linkType(s(x, y) * s(x + 1, y), f[i] + f[x + L * w(y - 1)]);
      out[N + i] = linkType(s(x, y) * s(x, y + 1), f[i] + f[w(x - 1) + L * y]);
    }
  return out;
}
