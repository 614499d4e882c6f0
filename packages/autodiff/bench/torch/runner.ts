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

/**
 * The BLAS library PyTorch's process has loaded after a matrix product, and a warning when it is
 * the reference (netlib) BLAS: Debian's python3-torch links libblas.so.3, which is the slow
 * reference implementation unless an optimised one (libopenblas0-pthread) is installed, and a
 * ratio against that baseline would flatter us by an order of magnitude.
 */
export function torchBlas(): { library: string; warning: string | null } {
  const probe =
    "import torch\ntorch.ones(64, 64, dtype=torch.float64) @ torch.ones(64, 64, dtype=torch.float64)\n" +
    "libs = sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.lower() and '/' in l})\n" +
    "print(' '.join(libs))";
  const r = spawnSync(PY, ["-c", probe], { encoding: "utf8" });
  const library = r.status === 0 ? r.stdout.trim() || "none found" : "unknown";
  const reference = /\/blas\/libblas\.so/.test(library) && !/openblas|blis|mkl/i.test(library);
  return {
    library,
    warning: reference
      ? "PyTorch runs on the reference BLAS (an order of magnitude slower than OpenBLAS): apt-get install libopenblas0-pthread before quoting these ratios"
      : null,
  };
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
