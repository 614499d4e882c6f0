// The two-body task of Greydanus et al. (2019): near-circular orbits of two unit masses (G = 1)
// with random separation, orientation and a velocity perturbation; states along the orbits with
// their true velocities for training, and held-out orbits for trajectory prediction. Optionally
// each orbit is translated and boosted, so that total momentum and the centre of mass vary across
// orbits: without that, P_x = P_y = 0 on every state and no learned quantity can be compared with
// total momentum.
import { random } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { vectorField } from "../data/hamiltonian.js";
import { simulate, type Trajectories } from "../data/integrators.js";
import { twoBody } from "../data/systems.js";

/** Galilean spread of the orbits: centre of mass in [−offset, offset]², its velocity in [−velocity, velocity]². */
export interface TwoBodyBoost {
  offset: number;
  velocity: number;
}

const NO_BOOST: TwoBodyBoost = { offset: 0, velocity: 0 };

/**
 * Initial states of `count` orbits: separation r ∈ [0.5, 1.5], speeds (1 + spread·ξ) × circular
 * (ξ ∈ [−1, 1], `spread` 0.1 by default as in Greydanus et al.), zero total momentum about the
 * origin, then (if `boost` is given) the same translation and velocity added to both bodies.
 */
export function twoBodyInitialStates(
  count: number,
  seed: number,
  boost: TwoBodyBoost = NO_BOOST,
  spread = 0.1,
): Float64Array {
  for (const f of ["offset", "velocity"] as const)
    if (!(boost[f] >= 0) || !Number.isFinite(boost[f]))
      throw new PhysmlInputError(`boost.${f}`, "a finite number >= 0", boost[f]);
  // a speed k × circular gives periapsis r·k²/(2 − k²) for k < 1 and escapes at k = √2: up to
  // 0.3 the orbits stay bound and keep at least 0.32 r from the origin
  if (!(spread >= 0 && spread <= 0.3)) throw new PhysmlInputError("spread", "a number in [0, 0.3]", spread);
  // the orbits' own draw is the same with and without a boost
  const u = random.uniform(random.key(seed), [count, 4]).toFloat64Array();
  const g = random
    .uniform(random.split(random.key(seed), 2)[1], [count, 4], { minval: -1, maxval: 1 })
    .toFloat64Array();
  const z = new Float64Array(count * 8);
  for (let b = 0; b < count; b++) {
    const r = 0.5 + u[4 * b];
    const th = 2 * Math.PI * u[4 * b + 1];
    const v = Math.sqrt(1 / (2 * r)) * (1 + spread * (2 * u[4 * b + 2] - 1));
    const [c, s] = [Math.cos(th), Math.sin(th)];
    const [X, Y] = [boost.offset * g[4 * b], boost.offset * g[4 * b + 1]];
    const [U, V] = [boost.velocity * g[4 * b + 2], boost.velocity * g[4 * b + 3]];
    // positions ±(r/2)(c, s), velocities ±v(−s, c) about the centre of mass (X, Y) moving at (U, V)
    z.set(
      [
        X + (r / 2) * c,
        Y + (r / 2) * s,
        X - (r / 2) * c,
        Y - (r / 2) * s,
        U - v * s,
        V + v * c,
        U + v * s,
        V - v * c,
      ],
      8 * b,
    );
  }
  return z;
}

/** Orbits of the true system (Yoshida, h = 0.01), recorded every `every` steps. */
export function twoBodyOrbits(
  count: number,
  seed: number,
  time: number,
  every = 10,
  boost: TwoBodyBoost = NO_BOOST,
  spread = 0.1,
): Trajectories {
  return simulate(twoBody(), twoBodyInitialStates(count, seed, boost, spread), count, {
    integrator: "yoshida4",
    h: 0.01,
    steps: Math.round(time / 0.01),
    every,
  });
}

/** Training pairs (x, ẋ) from the recorded points (every 0.2 time units) of orbits. */
export function twoBodyTrainingSet(
  count: number,
  seed: number,
  time: number,
  boost: TwoBodyBoost = NO_BOOST,
  spread = 0.1,
): { x: Float64Array; xdot: Float64Array; n: number } {
  const o = twoBodyOrbits(count, seed, time, 20, boost, spread);
  const n = o.batch * o.times.length;
  return { x: o.states, xdot: vectorField(twoBody(), o.states, n), n };
}
