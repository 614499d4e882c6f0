// Symplectic one-step methods on batches of states: leapfrog (Störmer–Verlet, order 2), Yoshida's
// 4th-order composition of leapfrog, and the implicit midpoint rule (order 2, any H).
import { PhysmlInputError } from "@physml/lattice-core";
import { type HamiltonianSystem, hamiltonianGradients, vectorField } from "./hamiltonian.js";

/** The integrators by name. */
export const INTEGRATORS = ["leapfrog", "yoshida4", "midpoint"] as const;
export type IntegratorName = (typeof INTEGRATORS)[number];

/** Global order of each integrator (checked by step halving in the tests). */
export const INTEGRATOR_ORDER: Record<IntegratorName, number> = { leapfrog: 2, yoshida4: 4, midpoint: 2 };

/** Yoshida's weights: w₁ h, w₀ h, w₁ h with w₁ = 1/(2 − 2^{1/3}), w₀ = 1 − 2w₁. */
export const YOSHIDA_WEIGHTS: readonly number[] = (() => {
  const w1 = 1 / (2 - 2 ** (1 / 3));
  return [w1, 1 - 2 * w1, w1];
})();

/** Fixed-point tolerance of the implicit midpoint rule (max-norm of the update). */
const MIDPOINT_TOL = 1e-14;
const MIDPOINT_MAX_ITER = 200;

function kick(sys: HamiltonianSystem, z: Float64Array, batch: number, h: number): void {
  const n = sys.dof;
  const { dq } = hamiltonianGradients(sys, z, batch);
  for (let b = 0; b < batch; b++) for (let i = 0; i < n; i++) z[b * 2 * n + n + i] -= h * dq[b * n + i];
}

function drift(sys: HamiltonianSystem, z: Float64Array, batch: number, h: number): void {
  const n = sys.dof;
  const { dp } = hamiltonianGradients(sys, z, batch);
  for (let b = 0; b < batch; b++) for (let i = 0; i < n; i++) z[b * 2 * n + i] += h * dp[b * n + i];
}

function leapfrog(sys: HamiltonianSystem, z: Float64Array, batch: number, h: number): void {
  kick(sys, z, batch, h / 2);
  drift(sys, z, batch, h);
  kick(sys, z, batch, h / 2);
}

function midpoint(sys: HamiltonianSystem, z: Float64Array, batch: number, h: number): void {
  const z0 = z.slice();
  const mid = new Float64Array(z.length);
  for (let it = 0; it < MIDPOINT_MAX_ITER; it++) {
    for (let i = 0; i < z.length; i++) mid[i] = 0.5 * (z0[i] + z[i]);
    const f = vectorField(sys, mid, batch);
    let change = 0;
    for (let i = 0; i < z.length; i++) {
      const next = z0[i] + h * f[i];
      change = Math.max(change, Math.abs(next - z[i]) / Math.max(1, Math.abs(next)));
      z[i] = next;
    }
    if (change < MIDPOINT_TOL) return;
  }
  throw new PhysmlInputError(
    "h",
    "a step small enough for the midpoint fixed-point iteration to converge",
    h,
  );
}

/** Advances every row of `z` (in place) by one step of size h. */
export function integratorStep(
  name: IntegratorName,
  sys: HamiltonianSystem,
  z: Float64Array,
  batch: number,
  h: number,
): void {
  if (name !== "midpoint" && !sys.separable)
    throw new PhysmlInputError("integrator", `midpoint for the non-separable ${sys.name}`, name);
  if (name === "leapfrog") leapfrog(sys, z, batch, h);
  else if (name === "yoshida4") for (const w of YOSHIDA_WEIGHTS) leapfrog(sys, z, batch, w * h);
  else if (name === "midpoint") midpoint(sys, z, batch, h);
  else throw new PhysmlInputError("integrator", INTEGRATORS.join(" | "), name);
}

/** Options of {@link simulate}. */
export interface SimulateOptions {
  integrator: IntegratorName;
  /** Time step. */
  h: number;
  /** Number of steps. */
  steps: number;
  /** Record every `every`-th state (default 1); the initial state is always recorded. */
  every?: number;
  /** Hears the steps done of `steps` after each recorded state (for progress on long runs). */
  progress?: (done: number, total: number) => void;
}

/** Trajectories of a batch: `states` is [B, T, 2n] (row-major), `times` has T entries. */
export interface Trajectories {
  readonly system: string;
  readonly batch: number;
  readonly dof: number;
  readonly times: Float64Array;
  readonly states: Float64Array;
}

/** Integrates B initial conditions `z0` ([B, 2n]) and records the trajectories. */
export function simulate(
  sys: HamiltonianSystem,
  z0: Float64Array,
  batch: number,
  opts: SimulateOptions,
): Trajectories {
  const { h, steps } = opts;
  const every = opts.every ?? 1;
  const d = 2 * sys.dof;
  if (z0.length !== batch * d) throw new PhysmlInputError("z0", `${batch}×${d} numbers`, z0.length);
  if (!(h > 0) || !Number.isFinite(h)) throw new PhysmlInputError("h", "a finite number > 0", h);
  if (!Number.isInteger(steps) || steps < 0) throw new PhysmlInputError("steps", "an integer >= 0", steps);
  if (!Number.isInteger(every) || every < 1) throw new PhysmlInputError("every", "an integer >= 1", every);
  const T = Math.floor(steps / every) + 1;
  const states = new Float64Array(batch * T * d);
  const times = new Float64Array(T);
  const z = z0.slice();
  const record = (t: number): void => {
    for (let b = 0; b < batch; b++) states.set(z.subarray(b * d, (b + 1) * d), (b * T + t) * d);
  };
  record(0);
  for (let s = 1; s <= steps; s++) {
    integratorStep(opts.integrator, sys, z, batch, h);
    if (s % every === 0) {
      times[s / every] = s * h;
      record(s / every);
      opts.progress?.(s, steps);
    }
  }
  return { system: sys.name, batch, dof: sys.dof, times, states };
}
