export * from "./backend-choice.js";
export * from "./device.js";
export * from "./errors.js";
