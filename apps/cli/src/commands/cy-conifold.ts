// The conifold warning of `physml cy sample|donaldson|train`: a run at ψ⁵ = 1 still runs (its
// points are valid), and one line on stderr says what its numbers mean there, so stdout and the
// JSON stay the result alone.
import { type Complex, conifoldNote } from "@physml/cy-metrics";
import type { CommandIO } from "../command.js";

/** Writes `warning: <the package's conifold note>` on stderr when ψ is the conifold. */
export function warnAtConifold(io: CommandIO, psi: Complex): void {
  const note = conifoldNote(psi);
  if (note !== undefined) io.stderr(`warning: ${note}\n`);
}
