// The three models of the trajectory-prediction comparison (Greydanus et al. 2019; Krippendorf &
// Syvaeri, arXiv 2104.14444): a baseline MLP for ẋ, an HNN (ẋ = J∇H_θ) and a symmetry-control
// network (ẋ = J∇(H_θ ∘ T) with T a learned canonical transformation and n_c cyclic coordinates).
import {
  add,
  concat,
  type LinearParams,
  MLP,
  matmul,
  mean,
  perSampleJacobian,
  random,
  reshape,
  slice,
  square,
  sub,
  type Tensor,
  tensor,
  transpose,
} from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { hamiltonianField } from "./canonical.js";

/** A model of the vector field with a parameter tree. */
export interface FieldModel<P> {
  readonly kind: "baseline" | "hnn" | "scnn";
  init(): P;
  /** Predicted ẋ for a batch x ([B, d]). */
  field(params: P, x: Tensor): Tensor;
  /** Training loss on states x with true velocities ẋ: ‖ẋ_θ − ẋ‖² plus the model's own terms. */
  loss(params: P, x: Tensor, xdot: Tensor): Tensor;
}

const mse = (a: Tensor, b: Tensor): Tensor => mean(square(sub(a, b)));

/** The baseline: an MLP d → d for ẋ. */
export function baselineModel(dim: number, hidden: number[], seed: number): FieldModel<LinearParams[]> {
  const net = new MLP([dim, ...hidden, dim], { key: random.key(seed), activation: "tanh" });
  return {
    kind: "baseline",
    init: () => net.params,
    field: (p, x) => net.apply(p, x),
    loss: (p, x, xdot) => mse(net.apply(p, x), xdot),
  };
}

/** The HNN: a scalar H_θ(x), ẋ = J∇H_θ (𝓛_HNN = ‖J∇H_θ − ẋ‖²). */
export function hnnModel(dim: number, hidden: number[], seed: number): FieldModel<LinearParams[]> {
  const net = new MLP([dim, ...hidden, 1], { key: random.key(seed), activation: "tanh" });
  const H = (p: LinearParams[], x: Tensor) => reshape(net.apply(p, x), [x.shape[0]]);
  return {
    kind: "hnn",
    init: () => net.params,
    field: (p, x) => hamiltonianField((z) => H(p, z), x),
    loss: (p, x, xdot) =>
      mse(
        hamiltonianField((z) => H(p, z), x),
        xdot,
      ),
  };
}

/** Parameters of a symmetry-control network. */
export interface ScnnParams {
  [k: string]: LinearParams[];
  T: LinearParams[];
  H: LinearParams[];
}

/** Options of {@link scnnModel}. */
export interface ScnnOptions {
  dim: number;
  hidden: number[];
  /** Number of cyclic coordinates n_c: H_θ does not see Q₁…Q_{n_c}, so P₁…P_{n_c} are conserved. */
  cyclic: number;
  /** Weight of 𝓛_Poisson. */
  poissonWeight: number;
  /**
   * Weight of 𝓛_conserved = ‖(∂P_i/∂x)·ẋ‖² over the cyclic momenta, with ẋ the data's velocities
   * (default 0). The architecture conserves P_i along the model's own flow only as far as T is
   * canonical; this term asks for it along the true flow directly.
   */
  conservationWeight?: number;
  seed: number;
}

/**
 * The symmetry-control network: (Q, P) = T(q, p) = x + MLP(x) (a near-identity start), H_θ a
 * function of (Q_{n_c+1…n}, P) only (𝓛_HQP built into the architecture), the flow
 * ẋ = J∇_x(H_θ ∘ T) (the flow of K = H_θ ∘ T, exact when T is canonical), and
 * 𝓛_Poisson = ‖J_T Ω J_Tᵀ − Ω‖² (all brackets {Q_i, P_j} = δ_ij, {Q_i, Q_j} = {P_i, P_j} = 0),
 * and optionally 𝓛_conserved (the cyclic momenta's rates along the data's velocities).
 */
export function scnnModel(o: ScnnOptions): FieldModel<ScnnParams> & {
  transform(p: ScnnParams, x: Tensor): Tensor;
  poisson(p: ScnnParams, x: Tensor): Tensor;
  /** 𝓛_conserved: mean square of dP_i/dt = (∂P_i/∂x)·ẋ over the states and cyclic momenta. */
  conservation(p: ScnnParams, x: Tensor, xdot: Tensor): Tensor;
} {
  const n = o.dim / 2;
  if (!Number.isInteger(n) || n < 1) throw new PhysmlInputError("dim", "an even integer >= 2", o.dim);
  if (!Number.isInteger(o.cyclic) || o.cyclic < 0 || o.cyclic >= n)
    throw new PhysmlInputError("cyclic", `an integer in [0, ${n - 1}]`, o.cyclic);
  const [kT, kH] = random.split(random.key(o.seed), 2);
  const netT = new MLP([o.dim, ...o.hidden, o.dim], { key: kT, activation: "tanh" });
  const netH = new MLP([o.dim - o.cyclic, ...o.hidden, 1], { key: kH, activation: "tanh" });
  const transform = (p: ScnnParams, x: Tensor) => add(x, netT.apply(p.T, x));
  const K = (p: ScnnParams, x: Tensor) => {
    const z = transform(p, x);
    const B = x.shape[0];
    const seen = concat([slice(z, [0, o.cyclic], [B, n]), slice(z, [0, n], [B, 2 * n])], 1);
    return reshape(netH.apply(p.H, seen), [B]);
  };
  const omega = (() => {
    const O = new Float64Array(o.dim * o.dim);
    for (let i = 0; i < n; i++) {
      O[i * o.dim + n + i] = 1;
      O[(n + i) * o.dim + i] = -1;
    }
    return O;
  })();
  const jacobian = (p: ScnnParams, x: Tensor) => perSampleJacobian((z: Tensor) => transform(p, z))(x); // [B, d, d]
  const bracketError = (J: Tensor) => {
    const W = tensor(omega, [o.dim, o.dim]);
    return mean(square(sub(matmul(matmul(J, W), transpose(J, [0, 2, 1])), W)));
  };
  // dP_i/dt = Σ_j ∂P_i/∂x_j ẋ_j for the cyclic momenta P_1…P_{n_c} (rows n…n+n_c−1 of J)
  const momentumRates = (J: Tensor, xdot: Tensor) => {
    const B = xdot.shape[0];
    const rates = matmul(J, reshape(xdot, [B, o.dim, 1]));
    return slice(rates, [0, n, 0], [B, n + o.cyclic, 1]);
  };
  const cw = o.conservationWeight ?? 0;
  if (!(cw >= 0) || !Number.isFinite(cw))
    throw new PhysmlInputError("conservationWeight", "a finite number >= 0", o.conservationWeight);
  return {
    kind: "scnn",
    init: () => ({ T: netT.params, H: netH.params }),
    field: (p, x) => hamiltonianField((z) => K(p, z), x),
    loss: (p, x, xdot) => {
      const J = jacobian(p, x);
      const fit = add(
        mse(
          hamiltonianField((z) => K(p, z), x),
          xdot,
        ),
        bracketError(J).mul(o.poissonWeight),
      );
      return cw > 0 && o.cyclic > 0 ? add(fit, mean(square(momentumRates(J, xdot))).mul(cw)) : fit;
    },
    transform,
    poisson: (p, x) => bracketError(jacobian(p, x)),
    conservation: (p, x, xdot) =>
      o.cyclic > 0 ? mean(square(momentumRates(jacobian(p, x), xdot))) : tensor(0),
  };
}
