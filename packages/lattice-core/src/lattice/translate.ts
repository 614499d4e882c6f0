import { checkInt, PhysmlInputError } from "../errors.js";
import type { SquareLattice } from "./square.js";

function checkLength(field: string, got: number, want: number, what: string): void {
  if (got !== want) throw new PhysmlInputError(`${field}.length`, `${want} (= ${what})`, got);
}

/**
 * Translates a site configuration by (dx, dy): `out[translateSite(i, dx, dy)] = spins[i]`, i.e.
 * the pattern moves by (+dx, +dy). Works for any per-site array (spins, fields).
 */
export function translateSpins<T extends Int8Array | Float64Array>(
  lattice: SquareLattice,
  spins: T,
  dx: number,
  dy: number,
): T {
  checkLength("spins", spins.length, lattice.nSites, "Lx·Ly");
  checkInt("dx", dx, -Number.MAX_SAFE_INTEGER);
  checkInt("dy", dy, -Number.MAX_SAFE_INTEGER);
  const out = new (spins.constructor as { new (n: number): T })(spins.length);
  for (let i = 0; i < lattice.nSites; i++) out[lattice.translateSite(i, dx, dy)] = spins[i];
  return out;
}

/** Translates a link field by (dx, dy): `out[translateLink(l, dx, dy)] = field[l]`. */
export function translateLinkField<T extends Int8Array | Float64Array>(
  lattice: SquareLattice,
  field: T,
  dx: number,
  dy: number,
): T {
  checkLength("linkField", field.length, lattice.nLinks, "2·Lx·Ly");
  checkInt("dx", dx, -Number.MAX_SAFE_INTEGER);
  checkInt("dy", dy, -Number.MAX_SAFE_INTEGER);
  const out = new (field.constructor as { new (n: number): T })(field.length);
  for (let l = 0; l < lattice.nLinks; l++) out[lattice.translateLink(l, dx, dy)] = field[l];
  return out;
}
