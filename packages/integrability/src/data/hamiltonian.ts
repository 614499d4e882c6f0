// A Hamiltonian system is described by its H alone; forces, velocities and energies are derived
// from it with autodiff, batched over initial conditions (one gradient call per batch).
import { grad, type Tensor, tensor } from "@physml/autodiff";

/** A Hamiltonian system with `dof` degrees of freedom. States are rows z = (q₁…q_n, p₁…p_n). */
export interface HamiltonianSystem {
  /** Short identifier, e.g. `"toda3"`. */
  readonly name: string;
  /** Number of degrees of freedom n (a state has 2n entries). */
  readonly dof: number;
  /** True when H = T(p) + V(q), so that leapfrog and Yoshida apply. */
  readonly separable: boolean;
  /** H for a batch: q, p of shape [B, n] → [B]. Written in differentiable ops. */
  hamiltonian(q: Tensor, p: Tensor): Tensor;
}

/** A batch of states: `z` holds B rows of 2n numbers. */
export interface StateBatch {
  readonly z: Float64Array;
  readonly batch: number;
}

function split(sys: HamiltonianSystem, z: Float64Array, batch: number): [Tensor, Tensor] {
  const n = sys.dof;
  const q = new Float64Array(batch * n);
  const p = new Float64Array(batch * n);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < n; i++) {
      q[b * n + i] = z[b * 2 * n + i];
      p[b * n + i] = z[b * 2 * n + n + i];
    }
  }
  return [tensor(q, [batch, n]), tensor(p, [batch, n])];
}

/** ∂H/∂q and ∂H/∂p for every row of `z` (each [B·n], row-major). */
export function hamiltonianGradients(
  sys: HamiltonianSystem,
  z: Float64Array,
  batch: number,
): { dq: Float64Array; dp: Float64Array } {
  const [q, p] = split(sys, z, batch);
  const [gq, gp] = grad((a: Tensor, b: Tensor) => sys.hamiltonian(a, b).sum(), [0, 1])(q, p) as [
    Tensor,
    Tensor,
  ];
  return { dq: gq.toFloat64Array(), dp: gp.toFloat64Array() };
}

/** The Hamiltonian vector field ż = (∂H/∂p, −∂H/∂q) for every row of `z`. */
export function vectorField(sys: HamiltonianSystem, z: Float64Array, batch: number): Float64Array {
  const n = sys.dof;
  const { dq, dp } = hamiltonianGradients(sys, z, batch);
  const out = new Float64Array(z.length);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < n; i++) {
      out[b * 2 * n + i] = dp[b * n + i];
      out[b * 2 * n + n + i] = -dq[b * n + i];
    }
  }
  return out;
}

/** H of every row of `z`. */
export function energies(sys: HamiltonianSystem, z: Float64Array, batch: number): Float64Array {
  const [q, p] = split(sys, z, batch);
  return sys.hamiltonian(q, p).toFloat64Array();
}
