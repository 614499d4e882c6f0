// A minimal run directory (config.json, metrics.json, arrays as .npy, checkpoint.json, report.md)
// kept in this one file so it can move onto @physml/runs when that package lands.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { saveParams } from "@physml/autodiff";
import { type NpyArray, writeNpy } from "@physml/lattice-core";

/** A run directory and its writers. */
export interface RunDir {
  readonly path: string;
  json(name: string, value: unknown): Promise<void>;
  npy(name: string, data: NpyArray, shape: readonly number[]): Promise<void>;
  /** The checkpoint: a learner's state (parameter trees saved exactly). */
  checkpoint(params: object, extra: Record<string, unknown>): Promise<void>;
  text(name: string, body: string): Promise<void>;
}

/** Creates `root/<stamp>-<name>` (or `root` itself when `exact`) and returns its writers. */
export async function createRunDir(root: string, name: string, exact = false): Promise<RunDir> {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const path = exact ? root : join(root, `${stamp}-${name}`);
  await mkdir(path, { recursive: true });
  const text = (file: string, body: string) => writeFile(join(path, file), body);
  return {
    path,
    json: (file, value) => text(file, `${JSON.stringify(value, null, 2)}\n`),
    npy: (file, data, shape) => writeNpy(join(path, file), data, shape),
    checkpoint: (params, extra) =>
      text("checkpoint.json", `{"extra":${JSON.stringify(extra)},"params":${saveParams(params)}}\n`),
    text,
  };
}
