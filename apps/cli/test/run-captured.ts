// Runs the CLI in-process for tests and keeps what it writes (shared by the command tests).
import { runCli } from "../src/main.js";

/** `physml argv…` in-process: exit code, stdout, stderr and the wall time in ms. */
export async function runCaptured(
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  let stdout = "";
  let stderr = "";
  const t0 = performance.now();
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr, ms: performance.now() - t0 };
}
