// The Node entry: the browser-safe part (browser.ts), Dawn's shared device and the backend choice.
export * from "./backend-choice.js";
export * from "./browser.js";
export * from "./device.js";
