// The Node entry: the browser-safe part (browser.ts) plus files, threads and free memory.
export * from "./browser.js";
export * from "./io/model-file.js";
export * from "./io/npy-file.js";
export * from "./resources/memory.js";
export * from "./resources/threads.js";
