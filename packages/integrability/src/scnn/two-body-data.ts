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
import { checkInverseSquare, circularSpeed, twoBodySystem } from "./kepler.js";

/** Galilean spread of the orbits: centre of mass in [−offset, offset]², its velocity in [−velocity, velocity]². */
export interface TwoBodyBoost {
  offset: number;
  velocity: number;
}

const NO_BOOST: TwoBodyBoost = { offset: 0, velocity: 0 };

/**
 * How far the orbits are from circular. On near-circular orbits of one sense the relative angular
 * momentum L is nearly a function of the energy (L² = −1/(4H) on circular orbits at rest); a spread of speeds, a tilt of the
 * velocity off the tangent and orbits of both senses each loosen that tie.
 */
export interface TwoBodyOrbitShape {
  /** Speeds (1 + speedSpread·ξ) × circular, ξ ∈ [−1, 1] (default 0.1, Greydanus et al.'s), at most 0.3. */
  speedSpread?: number;
  /**
   * The velocities turned off the tangent by an angle in [−tilt, tilt] radians (default 0): at
   * fixed separation and speed this changes L and not H. At most 0.6.
   */
  tilt?: number;
  /** The probability that an orbit turns clockwise, L < 0 (default 0: all anticlockwise). */
  retrograde?: number;
  /**
   * ε of an ε/r² term added to the potential (default 0, at most 0.1; {@link twoBodySystem}): the
   * orbits precess, the Runge–Lenz vector is no longer conserved, H and L still are. Speeds are
   * taken relative to this potential's circular speed.
   */
  inverseSquare?: number;
}

/**
 * Initial states of `count` orbits: separation r ∈ [0.5, 1.5], speeds and directions as `shape`
 * says (near-circular and anticlockwise by default), zero total momentum about the origin, then
 * (if `boost` is given) the same translation and velocity added to both bodies.
 */
export function twoBodyInitialStates(
  count: number,
  seed: number,
  boost: TwoBodyBoost = NO_BOOST,
  shape: TwoBodyOrbitShape = {},
): Float64Array {
  for (const f of ["offset", "velocity"] as const)
    if (!(boost[f] >= 0) || !Number.isFinite(boost[f]))
      throw new PhysmlInputError(`boost.${f}`, "a finite number >= 0", boost[f]);
  const { speedSpread: spread = 0.1, tilt = 0, retrograde = 0, inverseSquare = 0 } = shape;
  // at the extremes (speeds 0.7 × circular, tilt 0.6) the orbits stay bound and keep at least
  // 0.19 r from the origin, so |ṗ| = 1/r² stays below 110
  if (!(spread >= 0 && spread <= 0.3))
    throw new PhysmlInputError("shape.speedSpread", "a number in [0, 0.3]", spread);
  if (!(tilt >= 0 && tilt <= 0.6)) throw new PhysmlInputError("shape.tilt", "a number in [0, 0.6]", tilt);
  if (!(retrograde >= 0 && retrograde <= 1))
    throw new PhysmlInputError("shape.retrograde", "a number in [0, 1]", retrograde);
  checkInverseSquare(inverseSquare, "shape.inverseSquare");
  // the orbits' own draw is the same with and without a boost, a tilt or retrograde orbits
  // split(k, 3) begins with split(k, 2), whose second key drew the boost before there were senses
  const [, kBoost, kSense] = random.split(random.key(seed), 3);
  const u = random.uniform(random.key(seed), [count, 4]).toFloat64Array();
  const g = random.uniform(kBoost, [count, 4], { minval: -1, maxval: 1 }).toFloat64Array();
  const sense = retrograde > 0 ? random.uniform(kSense, [count]).toFloat64Array() : undefined;
  const z = new Float64Array(count * 8);
  for (let b = 0; b < count; b++) {
    const r = 0.5 + u[4 * b];
    const th = 2 * Math.PI * u[4 * b + 1];
    const v = circularSpeed(r, inverseSquare) * (1 + spread * (2 * u[4 * b + 2] - 1));
    const [c, s] = [Math.cos(th), Math.sin(th)];
    const a = tilt * (2 * u[4 * b + 3] - 1);
    const turn = sense !== undefined && sense[b] < retrograde ? -1 : 1;
    // body 1's velocity: v(cos a·t̂ + sin a·r̂) with the tangent t̂ = ±(−s, c), the radial r̂ = (c, s)
    const vx = v * (-turn * Math.cos(a) * s + Math.sin(a) * c);
    const vy = v * (turn * Math.cos(a) * c + Math.sin(a) * s);
    const [X, Y] = [boost.offset * g[4 * b], boost.offset * g[4 * b + 1]];
    const [U, V] = [boost.velocity * g[4 * b + 2], boost.velocity * g[4 * b + 3]];
    // positions ±(r/2)(c, s), velocities ±(vx, vy) about the centre of mass (X, Y) moving at (U, V)
    z.set(
      [X + (r / 2) * c, Y + (r / 2) * s, X - (r / 2) * c, Y - (r / 2) * s, U + vx, V + vy, U - vx, V - vy],
      8 * b,
    );
  }
  return z;
}

/** Orbits of the true system (Yoshida, h = 0.01; with `shape.inverseSquare`'s term), recorded every `every` steps. */
export function twoBodyOrbits(
  count: number,
  seed: number,
  time: number,
  every = 10,
  boost: TwoBodyBoost = NO_BOOST,
  shape: TwoBodyOrbitShape = {},
): Trajectories {
  return simulate(
    twoBodySystem(shape.inverseSquare),
    twoBodyInitialStates(count, seed, boost, shape),
    count,
    {
      integrator: "yoshida4",
      h: 0.01,
      steps: Math.round(time / 0.01),
      every,
    },
  );
}

/** Training pairs (x, ẋ) from the recorded points (every 0.2 time units) of orbits. */
export function twoBodyTrainingSet(
  count: number,
  seed: number,
  time: number,
  boost: TwoBodyBoost = NO_BOOST,
  shape: TwoBodyOrbitShape = {},
): { x: Float64Array; xdot: Float64Array; n: number } {
  const o = twoBodyOrbits(count, seed, time, 20, boost, shape);
  const n = o.batch * o.times.length;
  return { x: o.states, xdot: vectorField(twoBodySystem(shape.inverseSquare), o.states, n), n };
}
