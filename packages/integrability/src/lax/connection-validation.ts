// The check a learned connection (KdV's, sine-Gordon's, Heisenberg's) must pass to count as a Lax connection: a small held-out
// curvature residual, a monodromy trace conserved along the held-out trajectories that can
// tell (a lone soliton or spin wave only translates, so any local A_x keeps its trace there), and
// A_x values that are not solvable (else that trace is a function of local conservation laws).
import { CARTAN_FLOOR } from "./cartan-ratio.js";

/** What a learned connection must meet on held-out trajectories. */
export interface ConnectionTargets {
  /** Held-out |∂_t A_x − ∂_x A_t + [A_x, A_t]| / |∂_t A_x| below this. */
  residual: number;
  /** (max − min)/|mean| of tr P exp ∮A_x dx along each non-soliton trajectory below this. */
  monodromyVariation: number;
  /** The held-out A_x values' Cartan ratio (`cartanRatio`) above this: they span no solvable Lie algebra. */
  cartanRatio: number;
}

/** Issue 14's targets for the KdV connection, and the floor that excludes solvable connections. */
export const CONNECTION_TARGETS: ConnectionTargets = {
  residual: 1e-2,
  monodromyVariation: 1e-3,
  cartanRatio: CARTAN_FLOOR,
};

/** The outcome of {@link validateConnection}. */
export interface ConnectionValidation {
  passed: boolean;
  /** One sentence per missed target, naming the measured value and the target. */
  failures: string[];
  /** Indices of the held-out trajectories whose monodromy was checked (the non-soliton ones). */
  checked: number[];
}

/**
 * The monodromy quadrature's relative error must stay below this fraction of the variation target:
 * above it, a variation under the target could be the quadrature's luck rather than the connection's.
 */
export const QUADRATURE_SHARE = 0.1;

/**
 * Checks a learned connection's held-out residual, monodromy variations (one per held-out
 * trajectory, `kinds` their initial conditions) and Cartan ratio against `targets`. A non-finite value fails, and so
 * does a checked trajectory whose `quadratureError` (when given) is not below
 * {@link QUADRATURE_SHARE} of the variation target.
 * Trajectories of the `travelling` kinds (KdV's lone soliton by default) only translate, so any
 * local A_x keeps its trace there: they are not checked.
 */
export function validateConnection(
  r: {
    residual: number;
    variation: readonly number[];
    kinds: readonly string[];
    quadratureError?: readonly number[];
    /** `cartanRatio` of A_x on held-out points. */
    cartanRatio: number;
  },
  targets: ConnectionTargets = CONNECTION_TARGETS,
  travelling: readonly string[] = ["soliton"],
): ConnectionValidation {
  const failures: string[] = [];
  const g = (v: number) => v.toPrecision(3);
  if (!(r.residual < targets.residual))
    failures.push(`held-out residual ${g(r.residual)} (target < ${targets.residual})`);
  if (!(r.cartanRatio > targets.cartanRatio))
    failures.push(
      `the held-out values of A_x span a solvable Lie algebra (Cartan ratio ${g(r.cartanRatio)}; needs > ${targets.cartanRatio.toExponential()}): the connection is abelian or triangular in some constant gauge, and its monodromy trace a function of local conservation laws, not a Lax connection's`,
    );
  const checked = r.kinds.flatMap((k, i) => (travelling.includes(k) ? [] : [i]));
  if (checked.length === 0)
    failures.push(
      travelling.length === 1 && travelling[0] === "soliton"
        ? "no held-out trajectory other than lone solitons, whose monodromy any A_x keeps"
        : `no held-out trajectory other than travelling ones (${travelling.join(", ")}), whose monodromy any A_x keeps`,
    );
  for (const i of checked) {
    if (!(r.variation[i] < targets.monodromyVariation))
      failures.push(
        `tr P exp ∮A_x dx varies by ${g(r.variation[i])} along held-out trajectory ${i} (${r.kinds[i]}; target < ${targets.monodromyVariation})`,
      );
    const q = r.quadratureError?.[i];
    if (q !== undefined && !(q < QUADRATURE_SHARE * targets.monodromyVariation))
      failures.push(
        `the monodromy quadrature did not converge on held-out trajectory ${i} (relative error ${g(q)}; needs < ${QUADRATURE_SHARE * targets.monodromyVariation})`,
      );
  }
  return { passed: failures.length === 0, failures, checked };
}
