// Trajectory prediction with a learned vector field: classical RK4 for every model (the same
// integrator for all three, as in Greydanus et al.), compared with the true orbits.
import { type Tensor, tensor } from "@physml/autodiff";
import { energies, type HamiltonianSystem } from "../data/hamiltonian.js";
import type { Trajectories } from "../data/integrators.js";

/**
 * Integrates ẋ = f(x) from the first state of each true trajectory at its recorded times. An
 * orbit whose prediction stops being finite (a learned field that blows up) keeps its last finite
 * state from then on, so its errors are that state's and not NaN (a state so large that its
 * energy overflows still gives an infinite energy error).
 */
export function rollout(field: (x: Tensor) => Tensor, truth: Trajectories, substeps: number): Float64Array {
  const { batch } = truth;
  const T = truth.times.length;
  const d = 2 * truth.dof;
  const out = new Float64Array(truth.states.length);
  const z = new Float64Array(batch * d);
  for (let b = 0; b < batch; b++) z.set(truth.states.subarray(b * T * d, b * T * d + d), b * d);
  const f = (s: Float64Array) => field(tensor(s, [batch, d])).toFloat64Array();
  const axpy = (a: Float64Array, k: Float64Array, c: number) => a.map((v, i) => v + c * k[i]);
  const record = (t: number) => {
    for (let b = 0; b < batch; b++) out.set(z.subarray(b * d, (b + 1) * d), (b * T + t) * d);
  };
  record(0);
  for (let t = 1; t < T; t++) {
    const h = (truth.times[t] - truth.times[t - 1]) / substeps;
    for (let s = 0; s < substeps; s++) {
      const k1 = f(z);
      const k2 = f(axpy(z, k1, h / 2));
      const k3 = f(axpy(z, k2, h / 2));
      const k4 = f(axpy(z, k3, h));
      const next = z.map((v, i) => v + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
      for (let b = 0; b < batch; b++) {
        const row = next.subarray(b * d, (b + 1) * d);
        if (row.every(Number.isFinite)) z.set(row, b * d);
      }
    }
    record(t);
  }
  return out;
}

/**
 * Mean squared state error and mean squared error of the true energy along the prediction, and
 * the latter per orbit (`orbitEnergyMse`, in the truth's order): one orbit whose prediction falls
 * into the collision outweighs all the others in the mean.
 */
export function predictionErrors(
  sys: HamiltonianSystem,
  truth: Trajectories,
  predicted: Float64Array,
): { stateMse: number; energyMse: number; orbitEnergyMse: number[] } {
  let se = 0;
  for (let i = 0; i < predicted.length; i++) se += (predicted[i] - truth.states[i]) ** 2;
  const T = truth.times.length;
  const count = truth.batch * T;
  const Ht = energies(sys, truth.states, count);
  const Hp = energies(sys, predicted, count);
  let ee = 0;
  const orbitEnergyMse = Array.from({ length: truth.batch }, (_, b) => {
    let orbit = 0;
    for (let t = 0; t < T; t++) {
      const e = (Hp[b * T + t] - Ht[b * T + t]) ** 2;
      ee += e;
      orbit += e;
    }
    return orbit / T;
  });
  return { stateMse: se / predicted.length, energyMse: ee / count, orbitEnergyMse };
}
