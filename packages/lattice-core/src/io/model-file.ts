// Model JSON files (`--model-file`): the shape of `ModelInput`, validated by `defineModel`, so
// every error names the bad field (e.g. `terms[1].sites[0][1]`).
import { readFile } from "node:fs/promises";
import { PhysmlInputError } from "../errors.js";
import { parseModelJson } from "../model/define.js";
import type { Model } from "../model/types.js";

/**
 * Reads and validates a model JSON file.
 *
 * An unreadable file is an error of `field` (the option that holds the path: `model-file` for
 * `--model-file`). An error inside the description names its field in the file and the file,
 * e.g. `lattice (in the model file m.json)`, so that it is never taken for an option of the
 * same name (`--lattice`, `--model`).
 *
 * @example
 * // triangle.json: {"spin":"ising","lattice":{"square":[3,3]},
 * //   "terms":[{"name":"tri","coupling":0.3,"sites":[[0,0],[1,0],[0,1]]}]}
 * const model = await readModelFile("triangle.json");
 */
export async function readModelFile(path: string, field = "model-file"): Promise<Model> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new PhysmlInputError(field, "a readable JSON file", path, (e as NodeJS.ErrnoException).code);
  }
  try {
    return parseModelJson(text);
  } catch (e) {
    if (!(e instanceof PhysmlInputError)) throw e;
    throw new PhysmlInputError(`${e.field} (in the model file ${path})`, e.allowed, e.received, e.detail);
  }
}
