// Phase-space samples for training: states drawn uniformly from a box, velocities from the
// equations of motion (no integration needed for the Lax and HNN losses).
import { random } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { type HamiltonianSystem, vectorField } from "./hamiltonian.js";

/** States x ([count, 2n]) and velocities ẋ = J∇H(x). */
export interface PhaseSamples {
  readonly count: number;
  readonly dim: number;
  readonly x: Float64Array;
  readonly xdot: Float64Array;
}

/** `count` states uniform in [−box, box]^{2n} (seeded) with their velocities. */
export function samplePhaseSpace(sys: HamiltonianSystem, count: number, seed: number, box = 1): PhaseSamples {
  if (!Number.isInteger(count) || count < 1) throw new PhysmlInputError("count", "an integer >= 1", count);
  if (!(box > 0)) throw new PhysmlInputError("box", "a number > 0", box);
  const dim = 2 * sys.dof;
  const x = random.uniform(random.key(seed), [count, dim], { minval: -box, maxval: box }).toFloat64Array();
  return { count, dim, x, xdot: vectorField(sys, x, count) };
}
