// Model JSON files (`--model-file`): the shape of `ModelInput`, validated by `defineModel`, so
// every error names the bad field (e.g. `terms[1].sites[0][1]`).
import { readFile } from "node:fs/promises";
import { PhysmlInputError } from "../errors.js";
import { parseModelJson } from "../model/define.js";
import type { Model } from "../model/types.js";

/**
 * Reads and validates a model JSON file.
 *
 * @example
 * // triangle.json: {"spin":"ising","lattice":{"square":[3,3]},
 * //   "terms":[{"name":"tri","coupling":0.3,"sites":[[0,0],[1,0],[0,1]]}]}
 * const model = await readModelFile("triangle.json");
 */
export async function readModelFile(path: string): Promise<Model> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new PhysmlInputError("model-file", "a readable JSON file", path, (e as NodeJS.ErrnoException).code);
  }
  return parseModelJson(text);
}
