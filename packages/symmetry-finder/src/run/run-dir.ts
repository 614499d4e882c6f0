// A minimal run directory (config.json, result.json, .npy arrays), until the shared @physml/runs
// package lands; arrays are written with lattice-core's .npy writer.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type NpyArray, writeNpy } from "@physml/lattice-core";

export interface RunDir {
  readonly path: string;
  json(name: string, value: unknown): Promise<void>;
  text(name: string, value: string): Promise<void>;
  npy(name: string, data: NpyArray, shape: readonly number[]): Promise<void>;
}

/** Creates `path` (and parents) and returns writers into it. */
export async function openRunDir(path: string): Promise<RunDir> {
  await mkdir(path, { recursive: true });
  return {
    path,
    json: (name, value) => writeFile(join(path, name), `${JSON.stringify(value, null, 2)}\n`),
    text: (name, value) => writeFile(join(path, name), value),
    npy: (name, data, shape) => writeNpy(join(path, name), data, shape),
  };
}
