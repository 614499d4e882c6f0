// Moments shared between candidate slots. Slot k reads y = x∘window_k, so shape a's values under
// slot k are the x values on another set of links: the shape's image. A moment row is a
// translation mean, so it depends on the image only up to a translation, and many (slot, shape)
// pairs share one: every perpendicular slot is a Kramers–Wannier map (see window.ts), which sends
// the extended shape set onto itself, so the identity and the four perpendicular slots of the
// 7-link window read the same 20 images. Each distinct image's sums are computed once per batch
// of samples (through its first slot and shape, with the tables the layout already holds) and
// copied into the slots' rows. For ±1 link variables every sum is an exact integer, so the rows
// are bit for bit those of `slotMoments`.
import type { LinkShape } from "@physml/lattice-core";
import { type MomentLayout, shapeSums } from "./moments.js";
import type { CandidateSlot } from "./window.js";

/** One distinct image, named by the first slot and shape that read it. */
export interface ShapeImage {
  size: number;
  slot: number;
  shape: number;
}

/** The distinct images of a window over a shape set, and which one every (slot, shape) reads. */
export interface SlotImages {
  images: ShapeImage[];
  /** `imageOf[k·A + a]`: the image of shape a under slot k. */
  imageOf: Int32Array;
}

/** Which image every (slot, shape) pair reads: `slotImages` with the window's table. */
export interface SlotMomentPlan extends SlotImages {
  layout: MomentLayout;
  /** `window[l·K + k]`, see `windowTable`. */
  window: Int32Array;
  K: number;
  nLinks: number;
  nSites: number;
}

/**
 * A key equal for two link sets exactly when one is a translate of the other on the Lx × Ly
 * torus: the smallest sorted list of link codes relative to each of the set's links.
 */
function translationKey(
  Lx: number,
  Ly: number,
  links: readonly (readonly [number, number, number])[],
): string {
  const mod = (v: number, n: number) => ((v % n) + n) % n;
  let best: number[] | null = null;
  for (const [x0, y0] of links) {
    const rel = links
      .map(([x, y, d]) => (mod(x - x0, Lx) * Ly + mod(y - y0, Ly)) * 2 + d)
      .sort((p, q) => p - q);
    if (best === null || lexLess(rel, best)) best = rel;
  }
  return (best ?? []).join(",");
}

function lexLess(p: number[], q: number[]): boolean {
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return p[i] < q[i];
  return false;
}

/**
 * The distinct images of `shapes` under the slots on an Lx × Ly torus, from their definitions
 * alone (no tables): slot k moves an h link by `slots[k].h` and a v link by `slots[k].v`.
 */
export function slotImages(
  Lx: number,
  Ly: number,
  shapes: readonly LinkShape[],
  slots: readonly CandidateSlot[],
): SlotImages {
  const A = shapes.length;
  const images: ShapeImage[] = [];
  const byKey = new Map<string, number>();
  const imageOf = new Int32Array(slots.length * A);
  slots.forEach((slot, k) => {
    shapes.forEach((shape, a) => {
      const links = shape.links.map((o) => {
        const r = o.dir === 0 ? slot.h : slot.v;
        return [o.dx + r.dx, o.dy + r.dy, r.dir] as const;
      });
      const key = translationKey(Lx, Ly, links);
      let id = byKey.get(key);
      if (id === undefined) {
        id = images.length;
        images.push({ size: links.length, slot: k, shape: a });
        byKey.set(key, id);
      }
      imageOf[k * A + a] = id;
    });
  });
  return { images, imageOf };
}

/** The sharing plan of a window (from `windowTable(lattice, slots)`) over a moment layout. */
export function slotMomentPlan(
  lattice: { Lx: number; Ly: number; nLinks: number; nSites: number },
  layout: MomentLayout,
  slots: readonly CandidateSlot[],
  window: Int32Array,
): SlotMomentPlan {
  return {
    ...slotImages(lattice.Lx, lattice.Ly, layout.shapes, slots),
    layout,
    window,
    K: slots.length,
    nLinks: lattice.nLinks,
    nSites: lattice.nSites,
  };
}

/**
 * Sums `[S][size + 1]` of the images `ids` from x (`[S][2N]`), each read through its slot's
 * window and its shape's table; samples outermost, so each slot's field is gathered once a sample.
 */
export function imageSums(
  plan: SlotMomentPlan,
  x: ArrayLike<number>,
  samples: number,
  ids: readonly number[],
) {
  const { layout, window, K, nLinks, nSites } = plan;
  const out = ids.map((id) => new Float64Array(samples * (plan.images[id].size + 1)));
  const bySlot = new Map<number, number[]>();
  ids.forEach((id, i) => {
    const s = plan.images[id].slot;
    bySlot.set(s, [...(bySlot.get(s) ?? []), i]);
  });
  const y = new Float64Array(nLinks);
  const e = new Float64Array(Math.max(0, ...layout.sizes) + 1);
  for (let b = 0; b < samples; b++) {
    const q = b * nLinks;
    for (const [k, which] of bySlot) {
      for (let l = 0; l < nLinks; l++) y[l] = x[q + window[l * K + k]];
      for (const i of which) {
        const { size, shape } = plan.images[ids[i]];
        shapeSums(y, 0, layout.tables[shape], size, nSites, out[i], b * (size + 1), e);
      }
    }
  }
  return out;
}

/**
 * Computes the sums of slot `slot`'s images missing from `cache` (indexed by image,
 * `[S][size + 1]` each) from x (`[S][2N]`), in one pass over the samples, and stores them there.
 */
export function cacheSlotImages(
  plan: SlotMomentPlan,
  x: ArrayLike<number>,
  samples: number,
  slot: number,
  cache: (Float64Array | null | undefined)[],
): void {
  const A = plan.layout.shapes.length;
  const ids = new Set(plan.imageOf.subarray(slot * A, (slot + 1) * A));
  const missing = [...ids].filter((id) => !cache[id]);
  imageSums(plan, x, samples, missing).forEach((sums, i) => {
    cache[missing[i]] = sums;
  });
}

/**
 * Per-sample moments `[S][M]` of slot `slot` (the rows `slotMoments` gives), from the images'
 * sums in `cache` (see {@link cacheSlotImages}, which fills in those missing), so the other
 * slots of the same samples reuse them.
 */
export function sharedSlotMoments(
  plan: SlotMomentPlan,
  x: ArrayLike<number>,
  samples: number,
  slot: number,
  cache: (Float64Array | null | undefined)[],
): Float64Array {
  cacheSlotImages(plan, x, samples, slot, cache);
  const { layout } = plan;
  const A = layout.shapes.length;
  const M = layout.width;
  const out = new Float64Array(samples * M);
  for (let a = 0; a < A; a++) {
    const size = layout.sizes[a];
    const sums = cache[plan.imageOf[slot * A + a]] as Float64Array;
    const o = layout.offsets[a];
    for (let b = 0; b < samples; b++) {
      for (let m = 0; m <= size; m++) out[b * M + o + m] = sums[b * (size + 1) + m];
    }
  }
  return out;
}
