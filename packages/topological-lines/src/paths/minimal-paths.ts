// Minimal paths between two points, one per class of paths that a lattice symmetry fixing both
// endpoints maps into each other (such paths have equal expectations for every chunk whose
// value is symmetric, so comparing them says nothing). For a displacement (a, b) the symmetries
// fixing the endpoint pair are the half-turn about the midpoint, which maps a path to its reverse
// (RRU ↔ URR), and, when a = b, the reflection in the diagonal (R ↔ U).
import { PhysmlInputError } from "@physml/lattice-core";
import type { PathGroup } from "./paths.js";

const swapRU = (p: string) => p.replace(/[RU]/g, (m) => (m === "R" ? "U" : "R"));
const reverse = (p: string) => [...p].reverse().join("");

/** Every minimal path (R and U moves) from (0, 0) to (dx, dy). */
function allMinimal(dx: number, dy: number): string[] {
  const out: string[] = [];
  const walk = (p: string, r: number, u: number) => {
    if (r === 0 && u === 0) out.push(p);
    if (r > 0) walk(`${p}R`, r - 1, u);
    if (u > 0) walk(`${p}U`, r, u - 1);
  };
  walk("", dx, dy);
  return out;
}

/**
 * One representative (the lexicographically first) of every symmetry class of minimal paths to
 * (dx, dy), dx ≥ 1, dy ≥ 1.
 */
export function minimalPathGroup(dx: number, dy: number): PathGroup {
  if (!Number.isInteger(dx) || !Number.isInteger(dy) || dx < 1 || dy < 1 || dx + dy > 12)
    throw new PhysmlInputError("displacement", "integers dx, dy ≥ 1 with dx + dy ≤ 12", `${dx},${dy}`);
  const seen = new Set<string>();
  const paths: string[] = [];
  for (const p of allMinimal(dx, dy)) {
    if (seen.has(p)) continue;
    const images = [p, reverse(p)];
    if (dx === dy) images.push(swapRU(p), reverse(swapRU(p)));
    for (const q of images) seen.add(q);
    paths.push(images.sort()[0]);
  }
  return { displacement: [dx, dy], paths };
}

/**
 * The groups a chunk with more than one free parameter is learned on: the default groups' three
 * displacements plus (4, 1) and (3, 2), 23 pairs in all — more equations than the table has
 * entries, so a path-independent table is not a root of an underdetermined system.
 */
export const EXTENDED_GROUPS: readonly PathGroup[] = [
  minimalPathGroup(2, 1),
  minimalPathGroup(3, 1),
  minimalPathGroup(2, 2),
  minimalPathGroup(4, 1),
  minimalPathGroup(3, 2),
];
