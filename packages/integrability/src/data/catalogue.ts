// Every system `simulate` knows by name, with default initial conditions, integrator and step, as
// a plan of time slices; a simulation returns named arrays (for .npy) and a summary with the
// conservation checks.
import { PhysmlInputError } from "@physml/lattice-core";
import { heisenbergAdvance, heisenbergEnergy, type SpinField, spinNormError } from "../fields/heisenberg.js";
import { KdvEtdrk4, kdvInvariants, kdvSoliton } from "../fields/kdv.js";
import { sineGordonAdvance, sineGordonBreather, sineGordonEnergy } from "../fields/sine-gordon.js";
import { PeriodicGrid } from "../fields/spectral.js";
import { twoBodyInitialStates } from "../scnn/two-body-data.js";
import { energyDrift } from "./energy-drift.js";
import type { HamiltonianSystem } from "./hamiltonian.js";
import { type IntegratorName, integratorStep } from "./integrators.js";
import { samplePhaseSpace } from "./sampling.js";
import type { NamedArray, SimulateSystemName } from "./simulation-names.js";
import type { Perturbation } from "./systems.js";
import { harmonicOscillator, henonHeiles, perturbedOscillator, toda, twoBody } from "./systems.js";
import { integrateSlices, type SimulationPlan } from "./time-slices.js";

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
  const plan = simulationPlan(c);
  const { arrays, drift } = plan.finish(integrateSlices(plan, c.progress ? { progress: c.progress } : {}));
  return { system: plan.system, h: plan.h, steps: plan.steps, arrays, drift };
}

/**
 * The named system as time slices (see {@link integrateSlices}): ODE systems advance all their
 * trajectories side by side one step at a time; fields a snapshot interval at a time.
 */
export function simulationPlan(c: SimulationConfig): SimulationPlan {
  if (!(c.time > 0) || !Number.isFinite(c.time))
    throw new PhysmlInputError("time", "a finite number > 0", c.time);
  const snaps = c.snapshots ?? 100;
  if (c.system === "kdv") {
    const h = c.h ?? 0.0025;
    const g = new PeriodicGrid(256, 40);
    const phi = kdvSoliton(g, 4, 8, 0).map((v, j) => v + kdvSoliton(g, 1, 16, 0)[j]);
    return fieldPlan(
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
    return fieldPlan(
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
    return fieldPlan(
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
  return odePlan(c, snaps);
}

/** The trajectories of an ODE system: states [B, 2n] advanced together, snapshots [T, B·2n]. */
function odePlan(c: SimulationConfig, snaps: number): SimulationPlan {
  const { sys, box } = odeSystem(c);
  const h = c.h ?? (c.system === "two-body" ? 0.01 : 0.02);
  if (!(h > 0) || !Number.isFinite(h)) throw new PhysmlInputError("h", "a finite number > 0", h);
  const steps = Math.round(c.time / h);
  const every = Math.max(1, Math.floor(steps / snaps));
  const T = Math.floor(steps / every) + 1;
  const B = c.trajectories;
  const d = 2 * sys.dof;
  const integrator = c.integrator ?? (sys.separable ? "yoshida4" : "midpoint");
  return {
    system: c.system,
    h,
    steps,
    every,
    snapshots: T,
    unit: 1,
    width: B * d,
    trajectories: B,
    // every trajectory's initial state is drawn from the seed at once, whichever are integrated
    initial: () =>
      c.system === "two-body" ? twoBodyInitialStates(B, c.seed) : samplePhaseSpace(sys, B, c.seed, box).x,
    advance: (z, n) => {
      for (let k = 0; k < n; k++) integratorStep(integrator, sys, z, B, h);
    },
    finish: (snapshots) => {
      const states = new Float64Array(B * T * d);
      for (let t = 0; t < T; t++)
        for (let b = 0; b < B; b++)
          states.set(snapshots.subarray((t * B + b) * d, (t * B + b + 1) * d), (b * T + t) * d);
      const times = Float64Array.from({ length: T }, (_, t) => t * every * h);
      return {
        arrays: [
          { name: "states", data: states, shape: [B, T, d] },
          { name: "times", data: times, shape: [T] },
        ],
        drift: { energy: energyDrift(sys, { system: sys.name, batch: B, dof: sys.dof, times, states }) },
      };
    },
  };
}

/** A field's evolution: its F components on the grid (one state of F·n numbers), a snapshot interval per unit. */
function fieldPlan(
  c: SimulationConfig,
  h: number,
  snaps: number,
  g: PeriodicGrid,
  fields: Float64Array[],
  advance: (s: Float64Array[], steps: number) => void,
  invariants: (s: Float64Array[]) => Record<string, number>,
): SimulationPlan {
  const n = g.n;
  const F = fields.length;
  const steps = Math.round(c.time / h);
  const every = Math.max(1, Math.floor(steps / snaps));
  const T = Math.floor(steps / every) + 1;
  // each component its own array, as the field integrators take them
  const split = (v: Float64Array): Float64Array[] =>
    Array.from({ length: F }, (_, a) => v.slice(a * n, (a + 1) * n));
  const joined = (parts: Float64Array[]): Float64Array => {
    const v = new Float64Array(F * n);
    for (const [a, p] of parts.entries()) v.set(p, a * n);
    return v;
  };
  return {
    system: c.system,
    h,
    steps: (T - 1) * every,
    every,
    snapshots: T,
    unit: every,
    width: F * n,
    trajectories: 1,
    initial: () => joined(fields),
    advance: (state, k) => {
      const parts = split(state);
      advance(parts, k);
      state.set(joined(parts));
    },
    finish: (snapshots) => {
      const inv: Record<string, number[]> = {};
      for (let t = 0; t < T; t++)
        for (const [k, v] of Object.entries(
          invariants(split(snapshots.subarray(t * F * n, (t + 1) * F * n))),
        ))
          (inv[k] ??= []).push(v);
      const times = Float64Array.from({ length: T }, (_, t) => t * every * h);
      const drift = Object.fromEntries(Object.entries(inv).map(([k, v]) => [k, relDrift(v)]));
      if ("normError" in drift) drift.normError = Math.max(...inv.normError.map((v) => v - 1));
      return {
        arrays: [
          { name: "fields", data: snapshots.slice(), shape: [T, F, n] },
          { name: "times", data: times, shape: [T] },
          { name: "x", data: g.points(), shape: [n] },
        ],
        drift,
      };
    },
  };
}
