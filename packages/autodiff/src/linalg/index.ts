export { EIGH_GAP_TOL, type Eigh, type EighOptions, eigh, eigvalsh } from "./eigh.js";
export { expm } from "./expm.js";
export { type LstsqOptions, lstsq } from "./lstsq.js";
export { type Pca, type PcaOptions, pca } from "./pca.js";
export { commutator, matrixPower } from "./products.js";
export { type QR, qr } from "./qr.js";
export { type Slogdet, slogdet } from "./slogdet.js";
export { type SolveTriangularOptions, solveTriangular } from "./solve-triangular.js";
export { type Svd, type SvdOptions, svd, svdvals } from "./svd.js";
