// The two-body task of Greydanus et al. (2019): near-circular orbits of two unit masses (G = 1)
// with random separation, orientation and a velocity perturbation; states along the orbits with
// their true velocities for training, and held-out orbits for trajectory prediction.
import { random } from "@physml/autodiff";
import { vectorField } from "../data/hamiltonian.js";
import { simulate, type Trajectories } from "../data/integrators.js";
import { twoBody } from "../data/systems.js";

/** Initial states of `count` orbits: separation r ∈ [0.5, 1.5], speeds (1 + 0.1ξ) × circular. */
export function twoBodyInitialStates(count: number, seed: number): Float64Array {
  const u = random.uniform(random.key(seed), [count, 4]).toFloat64Array();
  const z = new Float64Array(count * 8);
  for (let b = 0; b < count; b++) {
    const r = 0.5 + u[4 * b];
    const th = 2 * Math.PI * u[4 * b + 1];
    const v = Math.sqrt(1 / (2 * r)) * (1 + 0.1 * (2 * u[4 * b + 2] - 1));
    const [c, s] = [Math.cos(th), Math.sin(th)];
    // positions ±(r/2)(c, s), velocities ±v(−s, c): zero total momentum
    z.set([(r / 2) * c, (r / 2) * s, (-r / 2) * c, (-r / 2) * s, -v * s, v * c, v * s, -v * c], 8 * b);
  }
  return z;
}

/** Orbits of the true system (Yoshida, h = 0.01), recorded every `every` steps. */
export function twoBodyOrbits(count: number, seed: number, time: number, every = 10): Trajectories {
  return simulate(twoBody(), twoBodyInitialStates(count, seed), count, {
    integrator: "yoshida4",
    h: 0.01,
    steps: Math.round(time / 0.01),
    every,
  });
}

/** Training pairs (x, ẋ) from the recorded points of orbits. */
export function twoBodyTrainingSet(
  count: number,
  seed: number,
  time: number,
): { x: Float64Array; xdot: Float64Array; n: number } {
  const o = twoBodyOrbits(count, seed, time, 20);
  const n = o.batch * o.times.length;
  return { x: o.states, xdot: vectorField(twoBody(), o.states, n), n };
}
