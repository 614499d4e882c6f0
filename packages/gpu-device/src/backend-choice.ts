import { EnvironmentVariableError } from "@physml/lattice-core";
import { describeAdapter, type GpuContext } from "./context.js";
import { getGpuContext } from "./device.js";
import { GpuError } from "./errors.js";

/** Which compute backend to run on. `auto`: a real GPU when one exists, else the CPU backend. */
export type BackendChoice = "auto" | "webgpu" | "cpu";

/** The decision: the CPU backend, or WebGPU with its context. */
export type ResolvedBackend = { kind: "cpu"; reason: string } | { kind: "webgpu"; ctx: GpuContext };

let noticeShown = false;

/** The values `PHYSML_BACKEND` and every `backend` option take. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ["auto", "cpu", "webgpu"];

/**
 * Parses `PHYSML_BACKEND` (auto | cpu | webgpu, any letter case); undefined when unset. A bad
 * value throws {@link EnvironmentVariableError} (an input error naming the variable and the
 * allowed values), never a GPU error.
 */
export function backendFromEnvIfSet(env: NodeJS.ProcessEnv = process.env): BackendChoice | undefined {
  const raw = env.PHYSML_BACKEND;
  if (raw === undefined) return undefined;
  const v = raw.toLowerCase();
  if ((BACKEND_CHOICES as readonly string[]).includes(v)) return v as BackendChoice;
  throw new EnvironmentVariableError("PHYSML_BACKEND", `one of ${BACKEND_CHOICES.join("|")}`, raw);
}

/** `PHYSML_BACKEND` as {@link backendFromEnvIfSet} reads it; unset means auto. */
export function backendFromEnv(env: NodeJS.ProcessEnv = process.env): BackendChoice {
  return backendFromEnvIfSet(env) ?? "auto";
}

/**
 * Resolves a backend choice. `auto` (or undefined: then `PHYSML_BACKEND`) picks WebGPU only on
 * a real GPU adapter — software adapters such as SwiftShader are slower than our CPU backend —
 * and otherwise the CPU backend, saying so once on stderr. `webgpu` takes any adapter, software
 * ones included, and throws a typed error when there is none.
 */
export async function resolveBackend(
  choice?: BackendChoice,
  log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`),
): Promise<ResolvedBackend> {
  const wanted = choice ?? backendFromEnv();
  if (wanted === "cpu") return { kind: "cpu", reason: "requested" };
  const ctx = await getGpuContext();
  if (wanted === "webgpu") {
    if (!ctx) {
      throw new GpuError(
        "no-adapter",
        "requestAdapter",
        "backend webgpu was requested but no WebGPU adapter exists",
      );
    }
    return { kind: "webgpu", ctx };
  }
  if (ctx && !ctx.adapter.isCpu) return { kind: "webgpu", ctx };
  const reason = ctx ? `only a software GPU adapter (${describeAdapter(ctx.adapter)})` : "no GPU adapter";
  if (!noticeShown) {
    noticeShown = true;
    log(`physml: ${reason}; using the CPU backend`);
  }
  return { kind: "cpu", reason };
}
