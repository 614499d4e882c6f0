// The catalogue of finite-dimensional systems, each described only by its Hamiltonian.
import { add, concat, div, exp, mul, slice, sqrt, square, sub, sum, type Tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import type { HamiltonianSystem } from "./hamiltonian.js";

const col = (x: Tensor, i: number): Tensor => slice(x, [0, i], [x.shape[0], i + 1]).reshape([x.shape[0]]);
const kinetic = (p: Tensor): Tensor => sum(square(p), 1).mul(0.5);

/** The isotropic harmonic oscillator H = Σ (p² + ω² q²)/2 in `dim` = 1 or 2 dimensions. */
export function harmonicOscillator(dim: 1 | 2 = 1, omega = 1): HamiltonianSystem {
  if (dim !== 1 && dim !== 2) throw new PhysmlInputError("dim", "1 or 2", dim);
  if (!(omega > 0)) throw new PhysmlInputError("omega", "a number > 0", omega);
  return {
    name: dim === 1 ? "ho" : "ho2d",
    dof: dim,
    separable: true,
    hamiltonian: (q, p) => add(kinetic(p), sum(square(q), 1).mul(0.5 * omega * omega)),
  };
}

/** The perturbations of the 2D oscillator: h1 = ε q_x² q_y² (not integrable), h2 = ε q_x q_y (integrable). */
export type Perturbation = "h1" | "h2";

/** H₀ + H₁ or H₀ + H₂ on the unit-frequency 2D oscillator H₀. */
export function perturbedOscillator(kind: Perturbation, epsilon: number): HamiltonianSystem {
  if (kind !== "h1" && kind !== "h2") throw new PhysmlInputError("perturbation", "h1 | h2", kind);
  if (!Number.isFinite(epsilon) || Math.abs(epsilon) >= 1)
    throw new PhysmlInputError("epsilon", "a number in (-1, 1)", epsilon);
  const h0 = harmonicOscillator(2);
  return {
    name: `ho2d+${kind}`,
    dof: 2,
    separable: true,
    hamiltonian: (q, p) => {
      const qx = col(q, 0);
      const qy = col(q, 1);
      const v = kind === "h1" ? mul(square(qx), square(qy)) : mul(qx, qy);
      return add(h0.hamiltonian(q, p), v.mul(epsilon));
    },
  };
}

/** The periodic Toda lattice H = Σ p_i²/2 + Σ exp(q_i − q_{i+1}) (indices mod n). */
export function toda(n = 3): HamiltonianSystem {
  if (!Number.isInteger(n) || n < 2 || n > 16) throw new PhysmlInputError("n", "an integer in [2, 16]", n);
  return {
    name: `toda${n}`,
    dof: n,
    separable: true,
    hamiltonian: (q, p) => {
      const B = q.shape[0];
      const shifted = concat([slice(q, [0, 1], [B, n]), slice(q, [0, 0], [B, 1])], 1);
      return add(kinetic(p), sum(exp(sub(q, shifted)), 1));
    },
  };
}

/** Hénon–Heiles H = (p_x² + p_y² + x² + y²)/2 + x² y − y³/3 (not integrable). */
export function henonHeiles(): HamiltonianSystem {
  return {
    name: "henon-heiles",
    dof: 2,
    separable: true,
    hamiltonian: (q, p) => {
      const x = col(q, 0);
      const y = col(q, 1);
      const v = add(sum(square(q), 1).mul(0.5), sub(mul(square(x), y), mul(square(y), y).div(3)));
      return add(kinetic(p), v);
    },
  };
}

/** Two bodies in the plane, q = (x₁, y₁, x₂, y₂): H = Σ|p_a|²/(2m_a) − G m₁ m₂ / |q₁ − q₂|. */
export function twoBody(m1 = 1, m2 = 1, G = 1): HamiltonianSystem {
  for (const [f, v] of [
    ["m1", m1],
    ["m2", m2],
    ["G", G],
  ] as const)
    if (!(v > 0) || !Number.isFinite(v)) throw new PhysmlInputError(f, "a finite number > 0", v);
  return {
    name: "two-body",
    dof: 4,
    separable: true,
    hamiltonian: (q, p) => {
      const B = q.shape[0];
      const t1 = sum(square(slice(p, [0, 0], [B, 2])), 1).div(2 * m1);
      const t2 = sum(square(slice(p, [0, 2], [B, 4])), 1).div(2 * m2);
      const r = sqrt(sum(square(sub(slice(q, [0, 0], [B, 2]), slice(q, [0, 2], [B, 4]))), 1));
      return sub(add(t1, t2), div(G * m1 * m2, r));
    },
  };
}

/**
 * The non-separable rotor H = (q² + p²)²/4 (one degree of freedom): the phase point turns at the
 * conserved angular speed ω = q² + p², so the flow is known exactly; the implicit midpoint test case.
 */
export function nonlinearRotor(): HamiltonianSystem {
  return {
    name: "rotor",
    dof: 1,
    separable: false,
    hamiltonian: (q, p) => square(add(sum(square(q), 1), sum(square(p), 1))).mul(0.25),
  };
}
