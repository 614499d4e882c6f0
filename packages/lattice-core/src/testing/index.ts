/**
 * @physml/lattice-core/testing — for tests: the one seeded generator of the workspace's tests,
 * `seededUniform` (numbers in a range) and `seededUint32` (words); the PhysmlInputError (or the
 * package's own subclass of it) a call throws (`refusal`, `refusalMessage`); the "3-spin
 * triangle + nn + field" Ising description (`triangleModel`, `TRIANGLE_SITES`).
 */
export { type InputErrorClass, refusal, refusalMessage } from "./refusal.js";
export { seededUint32, seededUniform } from "./seeded.js";
export { TRIANGLE_SITES, triangleModel } from "./triangle.js";
