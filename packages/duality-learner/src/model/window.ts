// Candidate input links of the observable map O_θ: for every link l of the candidate lattice,
// the K links it may read (K = 7: itself and the 6 links attached at its two ends; K = 23: also
// the 16 links attached at the far ends of those).
//
// Design: h and v links share one attention vector over K "slots". A slot is a geometric move
// described by the offset of the candidate link's midpoint from l's midpoint and by whether the
// candidate is parallel or perpendicular to l. The h-slot and the v-slot with the same index
// have the same offset and type whenever the v-set contains it (otherwise the offset is
// reflected through the diagonal). With this pairing, choosing one perpendicular slot moves
// every link to a dual link displaced by one common vector — an exact Kramers–Wannier map for
// every perpendicular slot — and choosing a parallel slot with a common offset is a pure
// translation of the identity, which gives the same translation-averaged features as the
// identity itself (the trivial solution t = β).
import { type LinkDir, PhysmlInputError, type SquareLattice } from "@physml/lattice-core";

/** How a slot relates the chosen link to the link it replaces. */
/**
 * `dual-crossing`: a perpendicular link at the ends of l (the dual link crossing l, up to one
 * common displacement); `dual-translated`: a second-order perpendicular link (an exact dual
 * map too, displaced further); `parallel-other`: any parallel link other than l.
 */
export type SlotKind = "identity" | "dual-crossing" | "dual-translated" | "parallel-other";

/** One candidate slot: where it reads for h links and for v links. */
export interface CandidateSlot {
  /** Short label, e.g. `perp(-½,+½)` or `par(+1,0)`. */
  name: string;
  kind: SlotKind;
  /**
   * True when the slot is the identity or a pure translation of it (same features as the
   * identity, so it solves the problem trivially with t = β); the identity penalty covers these.
   */
  trivial: boolean;
  /** 1 for the 6 links attached at the ends of l, 2 for the 16 second-order links, 0 for l. */
  order: 0 | 1 | 2;
  /**
   * Midpoint offset of the h link's candidate from the h link, in half lattice spacings (the
   * numbers of `name`): `diagonal` when both are nonzero with one sign, `anti-diagonal` with
   * opposite signs, `axis` otherwise.
   */
  offset: [number, number];
  diagonal: "diagonal" | "anti-diagonal" | "axis";
  /** The candidate link of h(x, y) is (x + dx, y + dy, dir). */
  h: { dx: number; dy: number; dir: LinkDir };
  /** The candidate link of v(x, y) is (x + dx, y + dy, dir). */
  v: { dx: number; dy: number; dir: LinkDir };
}

interface Rel {
  dx: number;
  dy: number;
  dir: LinkDir;
  order: 0 | 1 | 2;
}

// Sites of a link anchored at the origin, in doubled coordinates (so midpoints are integers).
function ends(r: { dx: number; dy: number; dir: LinkDir }): [number, number, number, number] {
  return [r.dx, r.dy, r.dx + (r.dir === 0 ? 1 : 0), r.dy + (r.dir === 1 ? 1 : 0)];
}

const key = (r: { dx: number; dy: number; dir: LinkDir }): string => `${r.dx},${r.dy},${r.dir}`;

// The 4 links touching site (x, y).
function linksAt(x: number, y: number): { dx: number; dy: number; dir: LinkDir }[] {
  return [
    { dx: x, dy: y, dir: 0 },
    { dx: x - 1, dy: y, dir: 0 },
    { dx: x, dy: y, dir: 1 },
    { dx: x, dy: y - 1, dir: 1 },
  ];
}

// Candidate links of the link anchored at the origin in direction `dir`, ordered by order.
function candidateSet(dir: LinkDir, order: 1 | 2): Rel[] {
  const self = { dx: 0, dy: 0, dir };
  const out: Rel[] = [{ ...self, order: 0 }];
  const seen = new Set([key(self)]);
  const [x0, y0, x1, y1] = ends(self);
  const first: Rel[] = [];
  for (const [x, y] of [
    [x0, y0],
    [x1, y1],
  ]) {
    for (const l of linksAt(x, y)) {
      if (seen.has(key(l))) continue;
      seen.add(key(l));
      first.push({ ...l, order: 1 });
    }
  }
  out.push(...first);
  if (order === 2) {
    for (const f of first) {
      const [a0, b0, a1, b1] = ends(f);
      // The far end of f is the end not shared with the origin link.
      const far = (a0 === x0 && b0 === y0) || (a0 === x1 && b0 === y1) ? [a1, b1] : [a0, b0];
      for (const l of linksAt(far[0], far[1])) {
        if (seen.has(key(l))) continue;
        seen.add(key(l));
        out.push({ ...l, order: 2 });
      }
    }
  }
  return out;
}

// Midpoint offset of r from the midpoint of the origin link of direction `dir`, doubled.
function midOffset(r: { dx: number; dy: number; dir: LinkDir }, dir: LinkDir): [number, number] {
  const mx = 2 * r.dx + (r.dir === 0 ? 1 : 0) - (dir === 0 ? 1 : 0);
  const my = 2 * r.dy + (r.dir === 1 ? 1 : 0) - (dir === 1 ? 1 : 0);
  return [mx, my];
}

function slotName(parallel: boolean, mx: number, my: number): string {
  const f = (d: number) =>
    d % 2 === 0 ? `${d > 0 ? "+" : ""}${d / 2}` : `${d > 0 ? "+" : "-"}${Math.abs(d)}/2`;
  return `${parallel ? "par" : "perp"}(${f(mx)},${f(my)})`;
}

/**
 * The candidate slots for windows of `order` 1 (7 slots) or 2 (23 slots), slot 0 the identity.
 * Order and pairing are deterministic (see the file comment for the h/v pairing rule).
 */
export function candidateSlots(order: 1 | 2 = 1): CandidateSlot[] {
  const hs = candidateSet(0, order);
  const vs = candidateSet(1, order);
  const vByKey = new Map<string, Rel>();
  for (const r of vs) {
    const [mx, my] = midOffset(r, 1);
    vByKey.set(`${r.dir === 1 ? "par" : "perp"}:${mx},${my}`, r);
  }
  const used = new Set<Rel>();
  const slots: CandidateSlot[] = [];
  for (const h of hs) {
    const parallel = h.dir === 0;
    const [mx, my] = midOffset(h, 0);
    const type = parallel ? "par" : "perp";
    let v = vByKey.get(`${type}:${mx},${my}`);
    let sameOffset = true;
    if (v === undefined || used.has(v)) {
      v = vByKey.get(`${type}:${my},${mx}`);
      sameOffset = false;
    }
    if (v === undefined || used.has(v)) throw new Error(`no v partner for h candidate ${key(h)}`);
    used.add(v);
    const identity = h.order === 0;
    const kind: SlotKind = identity
      ? "identity"
      : parallel || !sameOffset
        ? "parallel-other"
        : h.order === 1
          ? "dual-crossing"
          : "dual-translated";
    slots.push({
      name: identity ? "identity" : slotName(parallel, mx, my),
      kind,
      trivial: parallel && sameOffset,
      order: h.order,
      offset: [mx, my],
      diagonal: mx * my > 0 ? "diagonal" : mx * my < 0 ? "anti-diagonal" : "axis",
      h: { dx: h.dx, dy: h.dy, dir: h.dir },
      v: { dx: v.dx, dy: v.dy, dir: v.dir },
    });
  }
  return slots;
}

/**
 * Window table: `table[l * K + k]` is the candidate-lattice link read by slot k for link l.
 * Needs Lx, Ly ≥ 5 for order 2 (≥ 3 for order 1) so that the window's links are distinct.
 */
export function windowTable(lattice: SquareLattice, slots: readonly CandidateSlot[]): Int32Array {
  const minL = slots.some((s) => s.order === 2) ? 5 : 3;
  if (lattice.Lx < minL || lattice.Ly < minL) {
    throw new PhysmlInputError(
      "L",
      `>= ${minL} for a window with ${slots.length} candidate links`,
      Math.min(lattice.Lx, lattice.Ly),
    );
  }
  const K = slots.length;
  const table = new Int32Array(lattice.nLinks * K);
  for (let l = 0; l < lattice.nLinks; l++) {
    const [x, y] = lattice.coords(l >> 1);
    const dir = (l & 1) as LinkDir;
    for (let k = 0; k < K; k++) {
      const r = dir === 0 ? slots[k].h : slots[k].v;
      table[l * K + k] = lattice.link(x + r.dx, y + r.dy, r.dir);
    }
  }
  return table;
}
