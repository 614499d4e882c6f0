// Moments shared between candidate slots. Slot k reads y = x∘window_k, so shape a's values under
// slot k are the x values on another set of links: the shape's image. A moment row is a
// translation mean, so it depends on the image only up to a translation, and many (slot, shape)
// pairs share one: every perpendicular slot is a Kramers–Wannier map (see window.ts), which sends
// the extended shape set onto itself, so the identity and the four perpendicular slots of the
// 7-link window read the same 20 images. Each distinct image's sums are computed once per batch
// of samples and copied into the slots' rows. For ±1 link variables every sum is an exact
// integer, so the rows are bit for bit those of `slotMoments`.
import type { SquareLattice } from "@physml/lattice-core";
import { type MomentLayout, shapeSums } from "./moments.js";

/** One distinct image: its link table on x (site i's links at table[i·size + j]). */
export interface ShapeImage {
  size: number;
  table: Int32Array;
}

/** Which image every (slot, shape) pair reads. */
export interface SlotMomentPlan {
  layout: MomentLayout;
  /** Slots of the window. */
  K: number;
  /** Links of the lattice (the row width of x). */
  nLinks: number;
  nSites: number;
  images: ShapeImage[];
  /** `imageOf[k·A + a]`: the image of shape a under slot k. */
  imageOf: Int32Array;
}

/**
 * A key equal for two link sets exactly when one is a translate of the other on the torus: the
 * smallest sorted list of link codes relative to each of the set's links (links are 2·site + dir).
 */
function translationKey(lattice: SquareLattice, links: Int32Array): string {
  const { Lx, Ly } = lattice;
  const at = Array.from(links, (l) => {
    const [x, y] = lattice.coords(l >> 1);
    return [x, y, l & 1] as const;
  });
  let best: number[] | null = null;
  for (const [x0, y0] of at) {
    const rel = at
      .map(([x, y, d]) => ((((x - x0) % Lx) + Lx) % Lx) * Ly * 2 + ((((y - y0) % Ly) + Ly) % Ly) * 2 + d)
      .sort((p, q) => p - q);
    if (best === null || lexLess(rel, best)) best = rel;
  }
  return (best ?? []).join(",");
}

function lexLess(p: number[], q: number[]): boolean {
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return p[i] < q[i];
  return false;
}

/** The sharing plan of a window (`window[l·K + k]`, see `windowTable`) over a moment layout. */
export function slotMomentPlan(
  lattice: SquareLattice,
  layout: MomentLayout,
  window: Int32Array,
  K: number,
): SlotMomentPlan {
  const N = lattice.nSites;
  const A = layout.shapes.length;
  const images: ShapeImage[] = [];
  const byKey = new Map<string, number>();
  const imageOf = new Int32Array(K * A);
  for (let k = 0; k < K; k++) {
    for (let a = 0; a < A; a++) {
      const size = layout.sizes[a];
      const tab = layout.tables[a];
      const table = new Int32Array(N * size);
      for (let i = 0; i < table.length; i++) table[i] = window[tab[i] * K + k];
      const key = translationKey(lattice, table.subarray(0, size));
      let id = byKey.get(key);
      if (id === undefined) {
        id = images.length;
        images.push({ size, table });
        byKey.set(key, id);
      }
      imageOf[k * A + a] = id;
    }
  }
  return { layout, K, nLinks: lattice.nLinks, nSites: N, images, imageOf };
}

/**
 * Per-sample moments `[S][M]` of slot `slot` (the rows `slotMoments` gives), from the images'
 * sums: those missing from `cache` (indexed by image, `[S][size + 1]` each) are computed from x
 * (`[S][2N]`) and stored there, so the other slots of the same samples reuse them.
 */
export function sharedSlotMoments(
  plan: SlotMomentPlan,
  x: Float64Array,
  samples: number,
  slot: number,
  cache: (Float64Array | null | undefined)[],
): Float64Array {
  const { layout, nLinks, nSites } = plan;
  const A = layout.shapes.length;
  const M = layout.width;
  const e = new Float64Array(Math.max(...layout.sizes) + 1);
  const out = new Float64Array(samples * M);
  for (let a = 0; a < A; a++) {
    const id = plan.imageOf[slot * A + a];
    const { size, table } = plan.images[id];
    let sums = cache[id];
    if (!sums) {
      sums = new Float64Array(samples * (size + 1));
      for (let b = 0; b < samples; b++)
        shapeSums(x, b * nLinks, table, size, nSites, sums, b * (size + 1), e);
      cache[id] = sums;
    }
    const o = layout.offsets[a];
    for (let b = 0; b < samples; b++) {
      for (let m = 0; m <= size; m++) out[b * M + o + m] = sums[b * (size + 1) + m];
    }
  }
  return out;
}
