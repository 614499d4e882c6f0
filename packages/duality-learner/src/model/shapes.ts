// The feature shapes of the loss. The 13 standard shapes are sets of sides of one plaquette;
// the Kramers–Wannier map sends them to sets of links around one dual site ("star" shapes) and
// vice versa. The extended set adds the 7 star shapes that are not already plaquette shapes (two
// collinear links, the four T's and the full star), so the feature set is closed under duality.
// This matters in the ordered phase: there the standard features depend on the dual coupling
// t and the head slope θ2 almost only through θ2·tanh t, while the star features (images of
// the dual plaquette, where the product of link variables is identically 1) fix θ2 itself.
import {
  type LinkOffset,
  type LinkShape,
  linkShape,
  PhysmlInputError,
  STANDARD_SHAPES,
} from "@physml/lattice-core";

// Links around site (0, 0): right, up, left, down.
const R: LinkOffset = { dx: 0, dy: 0, dir: 0 };
const U: LinkOffset = { dx: 0, dy: 0, dir: 1 };
const Lf: LinkOffset = { dx: -1, dy: 0, dir: 0 };
const D: LinkOffset = { dx: 0, dy: -1, dir: 1 };

/** The 7 star shapes (links meeting at one site) that are not plaquette shapes. */
export const STAR_SHAPES: readonly LinkShape[] = Object.freeze([
  linkShape("line_h", [Lf, R]),
  linkShape("line_v", [D, U]),
  linkShape("T_no_down", [R, U, Lf]),
  linkShape("T_no_left", [D, R, U]),
  linkShape("T_no_up", [Lf, D, R]),
  linkShape("T_no_right", [U, Lf, D]),
  linkShape("star", [R, U, Lf, D]),
]);

/** The 20 shapes of the extended feature set: STANDARD_SHAPES then STAR_SHAPES. */
export const EXTENDED_SHAPES: readonly LinkShape[] = Object.freeze([...STANDARD_SHAPES, ...STAR_SHAPES]);

/** Resolves a shape-set spec ("standard", "extended" or a list of names from the extended set). */
export function resolveShapes(spec: "standard" | "extended" | readonly string[]): LinkShape[] {
  if (spec === "standard") return [...STANDARD_SHAPES];
  if (spec === "extended") return [...EXTENDED_SHAPES];
  const byName = new Map(EXTENDED_SHAPES.map((s) => [s.name, s]));
  const seen = new Set<string>();
  return spec.map((name, k) => {
    const s = byName.get(name);
    if (!s) throw new PhysmlInputError(`shapes[${k}]`, `one of ${[...byName.keys()].join(", ")}`, name);
    if (seen.has(name)) throw new PhysmlInputError(`shapes[${k}]`, "distinct shape names", name);
    seen.add(name);
    return s;
  });
}
