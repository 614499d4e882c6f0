// lattice-core from its tarball: Kaufman's exact 4×4 ln Z against full enumeration.
import { couplings, enumerate, kaufman, squareLattice } from "@physml/lattice-core";

const k = kaufman(4, 4, 0.3);
const e = enumerate(squareLattice(4), couplings({ nn: 0.3 }));
if (!(Math.abs(k.lnZ - e.lnZ) < 1e-9)) throw new Error(`Kaufman ln Z ${k.lnZ} vs enumeration ${e.lnZ}`);
console.log(`lattice-core: Kaufman 4×4 ln Z ${k.lnZ.toFixed(10)} = enumeration ${e.lnZ.toFixed(10)}`);
