/**
 * @physml/lattice-core/testing — for tests: the one seeded generator of the workspace's tests,
 * `seededUniform` (numbers in a range) and `seededUint32` (words).
 */
export { seededUint32, seededUniform } from "./seeded.js";
