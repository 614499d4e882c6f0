// A kernel's WGSL module is its files of the repository's shaders/ concatenated, each under a
// comment naming it (WGSL has no includes). The sources are imported strings
// (wgsl-sources.generated.ts), so nothing is read from disk and a browser bundle works.
import { WGSL_SOURCES, type WgslFile } from "./wgsl-sources.generated.js";

/** One WGSL module source from `names`, in this order. */
export function shaderSource(names: readonly WgslFile[]): string {
  return names.map((n) => `// ---- ${n} ----\n${WGSL_SOURCES[n]}`).join("\n");
}
