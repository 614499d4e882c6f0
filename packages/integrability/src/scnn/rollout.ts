// Trajectory prediction with a learned vector field: classical RK4 for every model (the same
// integrator for all three, as in Greydanus et al.), compared with the true orbits.
import { type Tensor, tensor } from "@physml/autodiff";
import { energies, type HamiltonianSystem } from "../data/hamiltonian.js";
import type { Trajectories } from "../data/integrators.js";

/** Integrates ẋ = f(x) from the first state of each true trajectory at its recorded times. */
export function rollout(field: (x: Tensor) => Tensor, truth: Trajectories, substeps: number): Float64Array {
  const { batch } = truth;
  const T = truth.times.length;
  const d = 2 * truth.dof;
  const out = new Float64Array(truth.states.length);
  let z = new Float64Array(batch * d);
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
      z = z.map((v, i) => v + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
    }
    record(t);
  }
  return out;
}

/** Mean squared state error and mean squared error of the true energy along the prediction. */
export function predictionErrors(
  sys: HamiltonianSystem,
  truth: Trajectories,
  predicted: Float64Array,
): { stateMse: number; energyMse: number } {
  let se = 0;
  for (let i = 0; i < predicted.length; i++) se += (predicted[i] - truth.states[i]) ** 2;
  const count = truth.batch * truth.times.length;
  const Ht = energies(sys, truth.states, count);
  const Hp = energies(sys, predicted, count);
  let ee = 0;
  for (let r = 0; r < count; r++) ee += (Hp[r] - Ht[r]) ** 2;
  return { stateMse: se / predicted.length, energyMse: ee / count };
}
