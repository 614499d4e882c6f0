/**
 * @physml/autodiff/testing — for tests: `checkGrads` compares `jvp` and `vjp` with central
 * finite differences along random directions, recursively to any order.
 */
export { type CheckGradsOptions, checkGrads, GradCheckError } from "./check-grads.js";
