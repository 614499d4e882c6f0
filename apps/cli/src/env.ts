// Environment variables the commands read, validated like flags: a bad value is one line naming
// the variable and its allowed values (exit 2), before any work.
import { PhysmlInputError } from "@physml/lattice-core";

const BACKENDS = ["auto", "cpu", "webgpu"] as const;

/** `PHYSML_BACKEND` (auto | cpu | webgpu), or undefined when unset. */
export function backendFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): (typeof BACKENDS)[number] | undefined {
  const v = env.PHYSML_BACKEND;
  if (v === undefined) return undefined;
  if ((BACKENDS as readonly string[]).includes(v)) return v as (typeof BACKENDS)[number];
  throw new PhysmlInputError("PHYSML_BACKEND", `one of ${BACKENDS.join("|")} (environment variable)`, v);
}
