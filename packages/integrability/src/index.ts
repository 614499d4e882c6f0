/**
 * @physml/integrability — data generators for integrable and non-integrable systems (symplectic
 * integrators, 1+1D fields), Lax-pair learning (arXiv 2103.07475) and symmetry-control networks
 * (arXiv 2104.14444).
 */
export { energyDrift } from "./data/energy-drift.js";
export { flaschkaPair } from "./data/flaschka.js";
export {
  energies,
  type HamiltonianSystem,
  hamiltonianGradients,
  type StateBatch,
  vectorField,
} from "./data/hamiltonian.js";
export {
  INTEGRATOR_ORDER,
  INTEGRATORS,
  type IntegratorName,
  integratorStep,
  type SimulateOptions,
  simulate,
  type Trajectories,
  YOSHIDA_WEIGHTS,
} from "./data/integrators.js";
export {
  harmonicOscillator,
  henonHeiles,
  nonlinearRotor,
  type Perturbation,
  perturbedOscillator,
  toda,
  twoBody,
} from "./data/systems.js";
export {
  heisenbergAdvance,
  heisenbergEnergy,
  type SpinField,
  spinNormError,
  spinWave,
} from "./fields/heisenberg.js";
export { KdvEtdrk4, kdvInvariants, kdvSoliton } from "./fields/kdv.js";
export {
  type SineGordonState,
  sineGordonAdvance,
  sineGordonBreather,
  sineGordonEnergy,
} from "./fields/sine-gordon.js";
export { PeriodicGrid } from "./fields/spectral.js";
