// Energy drift of recorded trajectories: the integrators' accuracy measure (symplectic methods
// keep it bounded, O(h^order), instead of growing).
import { energies, type HamiltonianSystem } from "./hamiltonian.js";
import type { Trajectories } from "./integrators.js";

/** max over trajectories and times of |H(t) − H(0)| / max(|H(0)|, 1e-12). */
export function energyDrift(sys: HamiltonianSystem, traj: Trajectories): number {
  const T = traj.times.length;
  const H = energies(sys, traj.states, traj.batch * T);
  let worst = 0;
  for (let b = 0; b < traj.batch; b++) {
    const h0 = H[b * T];
    for (let t = 1; t < T; t++)
      worst = Math.max(worst, Math.abs(H[b * T + t] - h0) / Math.max(Math.abs(h0), 1e-12));
  }
  return worst;
}
