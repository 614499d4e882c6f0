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

/**
 * `count` states uniform in [−box, box]^{2n} (seeded) with their velocities. With `restFrame`,
 * the mean of the momenta is subtracted from each state, so the total momentum is 0: the
 * centre-of-mass frame of a translation-invariant chain, whose centre of mass moves freely.
 */
export function samplePhaseSpace(
  sys: HamiltonianSystem,
  count: number,
  seed: number,
  box = 1,
  restFrame = false,
): PhaseSamples {
  if (!Number.isInteger(count) || count < 1) throw new PhysmlInputError("count", "an integer >= 1", count);
  if (!(box > 0)) throw new PhysmlInputError("box", "a number > 0", box);
  const dim = 2 * sys.dof;
  const n = sys.dof;
  const x = random.uniform(random.key(seed), [count, dim], { minval: -box, maxval: box }).toFloat64Array();
  if (restFrame)
    for (let r = 0; r < count; r++) {
      const p = x.subarray(r * dim + n, (r + 1) * dim);
      const mean = p.reduce((a, b) => a + b, 0) / n;
      for (let i = 0; i < n; i++) p[i] -= mean;
    }
  return { count, dim, x, xdot: vectorField(sys, x, count) };
}
