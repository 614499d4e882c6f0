export * from "./errors.js";
export * from "./lattice/square.js";
export * from "./observables/shapes.js";
export * from "./operator/couplings.js";
