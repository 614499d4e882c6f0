// Running a PyTorch baseline script in Debian's /usr/bin/python3 (python3-torch): whether torch
// is there (and why not), writing the shared inputs as JSON, and reading the script's last stdout
// line as JSON. Used by bench/vs-torch.ts and bench/pixelcnn.ts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PY = "/usr/bin/python3";
const here = path.dirname(fileURLToPath(import.meta.url));

/** null when `PY` imports torch, else one line saying why not. */
export function torchWhyNot(): string | null {
  const r = spawnSync(PY, ["-c", "import torch"], { encoding: "utf8" });
  if (r.error) return `${PY} not found (${r.error.message})`;
  if (r.status !== 0)
    return `${PY} has no torch (${r.stderr.trim().split("\n").pop()}); apt-get install python3-torch`;
  return null;
}

/** Writes `spec` as JSON to a temporary file; returns its path and a cleanup. */
export function writeSpec(spec: unknown): { file: string; done: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "physml-torch-"));
  const file = path.join(dir, "spec.json");
  writeFileSync(file, JSON.stringify(spec));
  return { file, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs bench/torch/`script` with `args`; its last stdout line parsed as JSON. */
export function runTorch<T>(script: string, args: string[]): T {
  const r = spawnSync(PY, [path.join(here, script), ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`bench/torch/${script} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as T;
}
