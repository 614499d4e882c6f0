export * from "./complex.js";
export * from "./eval/volumes.js";
export * from "./geometry/fubini-study.js";
export * from "./geometry/patches.js";
export * from "./geometry/quintic.js";
export * from "./geometry/roots.js";
export * from "./geometry/sample.js";
