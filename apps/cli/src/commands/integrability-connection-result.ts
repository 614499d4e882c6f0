// The keys every `physml integrability connection` result carries, whether it learned one
// connection or the family A(λ) (then each is its worst over the held-out λ): one JSON key, one
// meaning across both.
import type { CONNECTION_TARGETS } from "@physml/integrability";
import { fmt } from "./integrability-run.js";

/** The result keys shared by one connection and the family A(λ). */
export interface ConnectionResultBase {
  system: string;
  size: number;
  hidden: number[];
  lift: string;
  /** A_x, A_t in so(n) (the antisymmetric parts of the networks' outputs). */
  antisymmetric: boolean;
  parameters: number;
  loss: { total: number; lax: number };
  /** The attempt chosen (0: the seeded initialisation; a restart follows a stall). */
  attempt: number;
  /** The training 𝓛_ZC each attempt ended at. */
  attemptLosses: number[];
  /** The held-out residual (the family: the largest over the held-out λ). */
  laxResidual: number;
  /** Per held-out trajectory, its residual (the family: the largest over the held-out λ). */
  residualByTrajectory: { kind: string; residual: number }[];
  /**
   * Cartan's criterion on the held-out values of A_x: 0 when they span a solvable Lie algebra
   * (an abelian or triangular connection, whose trace only repeats local conservation laws); the
   * family: the smallest over the held-out λ.
   */
  cartanRatio: number;
  /**
   * Relative variation of tr P exp ∮A_x dx per held-out trajectory (the family: the largest over
   * the held-out λ).
   */
  conservedVariation: number[];
  monodromy: {
    kinds: string[];
    checked: number[];
    variationVsAcross: number;
    /** Per held-out trajectory, the monodromy quadrature's relative error (on the variation's scale). */
    quadratureError: number[];
  };
  validation: { passed: boolean; failures: string[]; targets: typeof CONNECTION_TARGETS };
  verdict: string;
  /** Training and evaluation; `trainSeconds` of a resumed run is summed over its processes. */
  seconds: number;
  trainSeconds: number;
  evaluateSeconds: number;
}

/** The text line that reports the Cartan ratio against its floor. */
export const cartanLine = (ratio: number, floor: number): string =>
  `held-out A_x not solvable: Cartan ratio ${fmt(ratio)} (target > ${floor.toExponential()}; 0 for an abelian or triangular A_x)`;
