export { EIGH_GAP_TOL, type Eigh, type EighOptions, eigh, eigvalsh } from "./eigh.js";
export { type LstsqOptions, lstsq } from "./lstsq.js";
export { type Pca, type PcaOptions, pca } from "./pca.js";
export { type QR, qr } from "./qr.js";
export { type SolveTriangularOptions, solveTriangular } from "./solve-triangular.js";
