// Every system `simulate` knows by name, with default initial conditions, integrator and step;
// a simulation returns named arrays (for .npy) and a summary with the conservation checks.
import { PhysmlInputError } from "@physml/lattice-core";
import { heisenbergAdvance, heisenbergEnergy, type SpinField, spinNormError } from "../fields/heisenberg.js";
import { KdvEtdrk4, kdvInvariants, kdvSoliton } from "../fields/kdv.js";
import { sineGordonAdvance, sineGordonBreather, sineGordonEnergy } from "../fields/sine-gordon.js";
import { PeriodicGrid } from "../fields/spectral.js";
import { twoBodyInitialStates } from "../scnn/two-body-data.js";
import { energyDrift } from "./energy-drift.js";
import type { HamiltonianSystem } from "./hamiltonian.js";
import { type IntegratorName, simulate } from "./integrators.js";
import { samplePhaseSpace } from "./sampling.js";
import type { Perturbation } from "./systems.js";
import { harmonicOscillator, henonHeiles, perturbedOscillator, toda, twoBody } from "./systems.js";

/** Systems `simulate` accepts. */
export const SIMULATE_SYSTEMS = [
  "ho",
  "ho2d",
  "toda",
  "toda4",
  "henon-heiles",
  "two-body",
  "kdv",
  "sine-gordon",
  "heisenberg",
] as const;
export type SimulateSystemName = (typeof SIMULATE_SYSTEMS)[number];

/** Configuration of {@link runSimulation}. */
export interface SimulationConfig {
  system: SimulateSystemName;
  perturbation?: { kind: Perturbation; epsilon: number };
  /** ODE systems: number of trajectories (initial states uniform in the system's box, seeded). */
  trajectories: number;
  /** Total time. */
  time: number;
  /** Time step (default per system). */
  h?: number;
  /** ODE systems: the integrator (default yoshida4). */
  integrator?: IntegratorName;
  /** Snapshots recorded (≈, default 100). */
  snapshots?: number;
  seed: number;
  /** Hears the time steps done of all of them (summed over the trajectories) after each snapshot. */
  progress?: (done: number, total: number) => void;
}

/** A named array for the run directory. */
export interface NamedArray {
  name: string;
  data: Float64Array;
  shape: number[];
}

/** The outcome: arrays and what was conserved how well. */
export interface SimulationResult {
  /** The system as named in the options (`toda`, `ho2d`; the perturbation is in the options too). */
  system: SimulateSystemName;
  h: number;
  steps: number;
  arrays: NamedArray[];
  /** Relative drift of each conserved quantity (max over time). */
  drift: Record<string, number>;
}

function odeSystem(c: SimulationConfig): { sys: HamiltonianSystem; box: number } {
  switch (c.system) {
    case "ho":
      return { sys: harmonicOscillator(1), box: 1 };
    case "ho2d":
      return {
        sys: c.perturbation
          ? perturbedOscillator(c.perturbation.kind, c.perturbation.epsilon)
          : harmonicOscillator(2),
        box: 1,
      };
    case "toda":
      return { sys: toda(3), box: 1 };
    case "toda4":
      return { sys: toda(4), box: 1 };
    case "henon-heiles":
      return { sys: henonHeiles(), box: 0.3 };
    default:
      return { sys: twoBody(), box: 1 };
  }
}

const relDrift = (v: number[]): number =>
  Math.max(...v.map((x) => Math.abs(x - v[0]))) / Math.max(Math.abs(v[0]), 1e-300);

/** Runs the named system and returns its arrays and conservation checks. */
export function runSimulation(c: SimulationConfig): SimulationResult {
  if (!(c.time > 0) || !Number.isFinite(c.time))
    throw new PhysmlInputError("time", "a finite number > 0", c.time);
  const snaps = c.snapshots ?? 100;
  if (c.system === "kdv") {
    const h = c.h ?? 0.0025;
    const g = new PeriodicGrid(256, 40);
    const phi = kdvSoliton(g, 4, 8, 0).map((v, j) => v + kdvSoliton(g, 1, 16, 0)[j]);
    return fieldRun(
      c,
      h,
      snaps,
      g,
      [phi],
      (s, n) => new KdvEtdrk4(g, h).advance(s[0], n),
      (s) => {
        const [a, b, d] = kdvInvariants(g, s[0]);
        return { mass: a, momentum: b, energy: d };
      },
    );
  }
  if (c.system === "sine-gordon") {
    const h = c.h ?? 0.01;
    const g = new PeriodicGrid(128, 40);
    const s0 = sineGordonBreather(g, 0.6, 20, 0);
    return fieldRun(
      c,
      h,
      snaps,
      g,
      [s0.phi, s0.pi],
      (s, n) => sineGordonAdvance(g, { phi: s[0], pi: s[1] }, h, n),
      (s) => ({
        energy: sineGordonEnergy(g, { phi: s[0], pi: s[1] }),
      }),
    );
  }
  if (c.system === "heisenberg") {
    const h = c.h ?? 0.001;
    const g = new PeriodicGrid(32, 2 * Math.PI);
    const x = g.points();
    const raw = [x.map((v) => Math.cos(v) + 0.3), x.map((v) => Math.sin(2 * v)), x.map(() => 0.8)];
    const nrm = raw[0].map((_, j) => Math.hypot(raw[0][j], raw[1][j], raw[2][j]));
    const s = raw.map((r) => r.map((v, j) => v / nrm[j]));
    return fieldRun(
      c,
      h,
      snaps,
      g,
      s,
      (f, n) => heisenbergAdvance(g, f as SpinField, h, n),
      (f) => ({
        energy: heisenbergEnergy(g, f as SpinField),
        normError: 1 + spinNormError(f as SpinField),
      }),
    );
  }
  const { sys, box } = odeSystem(c);
  const h = c.h ?? (c.system === "two-body" ? 0.01 : 0.02);
  const steps = Math.round(c.time / h);
  const z0 =
    c.system === "two-body"
      ? twoBodyInitialStates(c.trajectories, c.seed)
      : samplePhaseSpace(sys, c.trajectories, c.seed, box).x;
  const traj = simulate(sys, z0, c.trajectories, {
    integrator: c.integrator ?? (sys.separable ? "yoshida4" : "midpoint"),
    h,
    steps,
    every: Math.max(1, Math.floor(steps / snaps)),
    ...(c.progress
      ? { progress: (done: number) => c.progress?.(done * c.trajectories, steps * c.trajectories) }
      : {}),
  });
  return {
    system: c.system,
    h,
    steps,
    arrays: [
      { name: "states", data: traj.states, shape: [traj.batch, traj.times.length, 2 * sys.dof] },
      { name: "times", data: traj.times, shape: [traj.times.length] },
    ],
    drift: { energy: energyDrift(sys, traj) },
  };
}

function fieldRun(
  c: SimulationConfig,
  h: number,
  snaps: number,
  g: PeriodicGrid,
  state: Float64Array[],
  advance: (s: Float64Array[], steps: number) => void,
  invariants: (s: Float64Array[]) => Record<string, number>,
): SimulationResult {
  const steps = Math.round(c.time / h);
  const every = Math.max(1, Math.floor(steps / snaps));
  const T = Math.floor(steps / every) + 1;
  const F = state.length;
  const out = new Float64Array(T * F * g.n);
  const inv: Record<string, number[]> = {};
  const record = (t: number) => {
    for (const [a, f] of state.entries()) out.set(f, (t * F + a) * g.n);
    for (const [k, v] of Object.entries(invariants(state))) (inv[k] ??= []).push(v);
  };
  record(0);
  for (let t = 1; t < T; t++) {
    advance(state, every);
    record(t);
    c.progress?.(t * every, (T - 1) * every);
  }
  const times = Float64Array.from({ length: T }, (_, t) => t * every * h);
  const drift = Object.fromEntries(Object.entries(inv).map(([k, v]) => [k, relDrift(v)]));
  if ("normError" in drift) drift.normError = Math.max(...inv.normError.map((v) => v - 1));
  return {
    system: c.system,
    h,
    steps: (T - 1) * every,
    arrays: [
      { name: "fields", data: out, shape: [T, F, g.n] },
      { name: "times", data: times, shape: [T] },
      { name: "x", data: g.points(), shape: [g.n] },
    ],
    drift,
  };
}
