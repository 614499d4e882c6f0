// Finds and reads the WGSL sources. They live in the repository's top-level `shaders/`; a
// published copy of the package carries them in `<pkg>/shaders` (copied there before packing),
// which is looked at first. This file sits at the same depth in src/ and dist/, so the same
// relative paths work for both.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { GpuError } from "@physml/gpu-device";

const here = dirname(fileURLToPath(import.meta.url));

/** Candidate shader directories, in lookup order: the package's own copy, then the repository's. */
export const SHADER_DIRS: readonly string[] = [
  resolve(here, "../../shaders"),
  resolve(here, "../../../../shaders"),
];

let dir: string | null = null;

/** The directory holding the WGSL files; a typed error when neither candidate exists. */
export function shaderDirectory(): string {
  if (dir) return dir;
  const found = SHADER_DIRS.find((d) => existsSync(join(d, "philox.wgsl")));
  if (!found) {
    throw new GpuError("internal", "shaders", `WGSL sources not found; looked in ${SHADER_DIRS.join(", ")}`);
  }
  dir = found;
  return found;
}

const cache = new Map<string, Promise<string>>();

/** Reads one WGSL file (name relative to the shader directory), cached per process. */
export function readShader(name: string): Promise<string> {
  let text = cache.get(name);
  if (!text) {
    text = readFile(join(shaderDirectory(), name), "utf8");
    cache.set(name, text);
  }
  return text;
}

/** Concatenates WGSL files into one module source (WGSL has no includes). */
export async function shaderSource(names: readonly string[]): Promise<string> {
  const parts = await Promise.all(names.map(readShader));
  return parts.map((p, k) => `// ---- ${names[k]} ----\n${p}`).join("\n");
}
