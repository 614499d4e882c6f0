// Data sets of chain states labelled (meta)stable or not, in both representations (spins s and
// dual variables σ, row for row). Up to MAX_ENUMERATED_SITES sites every state is enumerated
// (exact, no sampling); beyond, stable states come from zero-temperature quenches of uniform
// random states and unstable ones are uniform random states (said in the result).
import { random } from "@physml/autodiff";
import type { Model } from "@physml/lattice-core";
import { seedPlus } from "@physml/lattice-core";
import type { Labelled } from "../train/dataset.js";
import {
  dualVariables,
  instanceCouplings,
  instanceSites,
  siteInstances,
  stableFromDual,
  stableLabel,
} from "./model.js";

/** Largest chain whose 2^sites states are all enumerated. */
export const MAX_ENUMERATED_SITES = 22;

/** A balanced data set of one chain in both representations. */
export interface ChainData {
  original: Labelled;
  dual: Labelled;
  /** `enumerated`: every state labelled exactly; `quench`: sampled (see the file comment). */
  source: "enumerated" | "quench";
  /** Enumerated only: stable states among all 2^sites. */
  stableStates?: number;
  totalStates?: number;
  /** States whose label from ΔE (original) and from the σ windows (dual) differ: must be 0. */
  labelMismatches: number;
  /** States on which both labels were compared. */
  labelsChecked: number;
  perClass: number;
}

function rowsOf(model: Model, states: Int8Array[], labels: number[]): { original: Labelled; dual: Labelled } {
  const inst = instanceSites(model);
  const N = states[0]?.length ?? 0;
  const K = inst.length;
  const x = new Float64Array(states.length * N);
  const z = new Float64Array(states.length * K);
  states.forEach((s, r) => {
    x.set(s, r * N);
    dualVariables(inst, s, z.subarray(r * K, (r + 1) * K));
  });
  const y = Float64Array.from(labels);
  return { original: { x, y, n: states.length, d: N }, dual: { x: z, y, n: states.length, d: K } };
}

/** Picks `m` of `from` without replacement (seeded), in random order. */
function pick(from: readonly number[], m: number, seed: number): number[] {
  const p = random.permutation(random.key(seed), from.length);
  return Array.from(p.subarray(0, m), (i) => from[i]);
}

const stateOf = (code: number, N: number): Int8Array => {
  const s = new Int8Array(N);
  for (let i = 0; i < N; i++) s[i] = (code >> i) & 1 ? -1 : 1;
  return s;
};

/** Unstable states checked against lattice-core's ΔE besides every stable one. */
export const CHECKED_UNSTABLE = 8192;

/**
 * Every state labelled from its dual variables (fast: n-site windows); lattice-core's ΔE label
 * is compared on every stable state and on CHECKED_UNSTABLE random unstable ones (all of them
 * on small chains). Up to `maxPerClass` of each class kept (balanced).
 */
function enumerated(model: Model, maxPerClass: number, seed: number): ChainData {
  const N = model.lattice.kind === "chain" ? model.lattice.L : 0;
  const inst = instanceSites(model);
  const J = instanceCouplings(model);
  const bySite = siteInstances(inst, N);
  const sigma = new Float64Array(inst.length);
  const stable: number[] = [];
  const unstable: number[] = [];
  for (let code = 0; code < 2 ** N; code++) {
    dualVariables(inst, stateOf(code, N), sigma);
    (stableFromDual(bySite, J, sigma) ? stable : unstable).push(code);
  }
  const checkedUnstable = pick(unstable, Math.min(CHECKED_UNSTABLE, unstable.length), seedPlus(seed, 2));
  let mismatches = 0;
  for (const c of stable) if (stableLabel(model, stateOf(c, N)) !== 1) mismatches++;
  for (const c of checkedUnstable) if (stableLabel(model, stateOf(c, N)) !== 0) mismatches++;
  const m = Math.min(maxPerClass, stable.length, unstable.length);
  const codes = [...pick(stable, m, seed), ...pick(unstable, m, seedPlus(seed, 1))];
  const labels = codes.map((_, i) => (i < m ? 1 : 0));
  const { original, dual } = rowsOf(
    model,
    codes.map((c) => stateOf(c, N)),
    labels,
  );
  return {
    original,
    dual,
    source: "enumerated",
    stableStates: stable.length,
    totalStates: 2 ** N,
    labelMismatches: mismatches,
    labelsChecked: stable.length + checkedUnstable.length,
    perClass: m,
  };
}

/** Stable states by zero-temperature single-flip quenches, unstable ones uniform at random. */
function quenched(model: Model, perClass: number, seed: number): ChainData {
  const N = model.lattice.kind === "chain" ? model.lattice.L : 0;
  const inst = instanceSites(model);
  const J = instanceCouplings(model);
  const bySite = siteInstances(inst, N);
  const sigma = new Float64Array(inst.length);
  const u = random.uniform(random.key(seed), [4 * perClass * N]).toFloat64Array();
  let next = 0;
  const coin = () => {
    if (next >= u.length) next = 0;
    return u[next++];
  };
  const randomState = () => Int8Array.from({ length: N }, () => (coin() < 0.5 ? -1 : 1));
  const states: Int8Array[] = [];
  const labels: number[] = [];
  let mismatches = 0;
  const check = (s: Int8Array, label: number) => {
    dualVariables(inst, s, sigma);
    if (stableFromDual(bySite, J, sigma) !== label) mismatches++;
  };
  while (labels.length < perClass) {
    const s = randomState();
    // Flip a random energy-lowering site until none is left (ΔE from the stencil: 2 s_i h_i).
    for (;;) {
      const down: number[] = [];
      dualVariables(inst, s, sigma);
      bySite.forEach((ks, i) => {
        let e = 0;
        for (const k of ks) e += J[k] * sigma[k];
        if (e < 0) down.push(i);
      });
      if (!down.length) break;
      s[down[Math.floor(coin() * down.length)]] *= -1;
    }
    const label = stableLabel(model, s);
    check(s, label);
    states.push(s);
    labels.push(label);
  }
  let negatives = 0;
  while (negatives < perClass) {
    const s = randomState();
    const label = stableLabel(model, s);
    check(s, label);
    if (label) continue;
    states.push(s);
    labels.push(0);
    negatives++;
  }
  const { original, dual } = rowsOf(model, states, labels);
  return {
    original,
    dual,
    source: "quench",
    labelMismatches: mismatches,
    labelsChecked: states.length,
    perClass,
  };
}

/** The balanced data set of a chain description (enumerated when small enough). */
export function chainData(model: Model, maxPerClass: number, seed: number): ChainData {
  const N = model.lattice.kind === "chain" ? model.lattice.L : 0;
  return N <= MAX_ENUMERATED_SITES
    ? enumerated(model, maxPerClass, seed)
    : quenched(model, maxPerClass, seed);
}
