// The three models of the trajectory-prediction comparison (Greydanus et al. 2019; Krippendorf &
// Syvaeri, arXiv 2104.14444): a baseline MLP for ẋ, an HNN (ẋ = J∇H_θ) and a symmetry-control
// network (ẋ = J∇(H_θ ∘ T) with T a learned canonical transformation and n_c cyclic coordinates).
import {
  add,
  concat,
  div,
  log,
  matmul,
  mean,
  mul,
  neg,
  perSampleJacobian,
  random,
  reshape,
  slice,
  sqrt,
  square,
  sub,
  sum,
  type Tensor,
  tensor,
  transpose,
  zeros,
} from "@physml/autodiff";
import { type LinearParams, MLP } from "@physml/autodiff/nn";
import { PhysmlInputError } from "@physml/lattice-core";
import { hamiltonianField } from "./canonical.js";
import { symplecticDefect } from "./frame.js";
import { cotangentLift, type PointMap } from "./point.js";
import { polarAngleGradient, polarLift } from "./polar-lift.js";

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

/** The forms of the SCNN's 𝓛_independent, see {@link ScnnOptions}. */
export const INDEPENDENCE_FORMS = ["determinant", "log", "values"] as const;
export type IndependenceForm = (typeof INDEPENDENCE_FORMS)[number];

/** Parameters of a symmetry-control network. */
export interface ScnnParams {
  [k: string]: LinearParams[];
  T: LinearParams[];
  H: LinearParams[];
  // with cyclicQ "gradients", also Q: the network of the cyclic coordinates' gradients. With
  // transform "point", T is the network of the single-valued coordinates φ_j(q) and Q (when the
  // moved pairs have cyclic coordinates) that of their rows a_i(q)
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
  /**
   * What 𝓛_conserved averages (default "rate"): "rate", (dP_i/dt)² = ((∂P_i/∂x)·ẋ)²; or "cosine",
   * that over |∂P_i/∂x|²|ẋ|², the squared cosine between ∇P_i and the flow. The canonical
   * rescaling (Q, P) → (λQ, P/λ) shrinks the rate by λ² without making P_i any more conserved;
   * the cosine does not change under it.
   */
  conservation?: "rate" | "cosine";
  /**
   * Weight of 𝓛_commute (default 0): the mean over the states and the pairs i ≠ j of cyclic
   * momenta of {P_i, P_j}²/(|∇P_i|²|∇P_j|²), the squared cosine of their bracket. 𝓛_Poisson asks
   * for {P_i, P_j} = 0 too, but on the bracket's scale; against a cosine 𝓛_conserved that is
   * blind to the scale, momenta that do not commute pay little there.
   */
  commutationWeight?: number;
  /**
   * Weight of 𝓛_independent (default 0): the mean over the states of 1 − det G, G_ij =
   * ∇P_i·∇P_j/(|∇P_i||∇P_j|) the Gram matrix of the cyclic momenta's normalised gradients. It is 0
   * when the gradients are orthogonal and 1 when they are dependent (two momenta that are functions
   * of one conserved quantity), whatever the momenta's scales; 𝓛_commute alone is met by such a
   * collapse. It is per state, so it charges wanted momenta whose gradients are nearly parallel
   * too: ∇H ∥ ∇L on a circular orbit, and {H, L} costs 0.94 on tilted Kepler orbits against 0.50
   * for {H, A_x} (SCNN-EXPERIMENTS.md, "An independence term").
   */
  independenceWeight?: number;
  /**
   * What 𝓛_independent measures (default "determinant"): per state, "determinant", 1 − det G; or
   * "log", −log(det G + 1e-6), which keeps a collapse (det G → 0 everywhere, a cost of 13.8) far
   * dearer than nearly dependent but distinct momenta: {H, L} has det G 0.045 at the median state
   * of the tilted Kepler orbits, 1 − det G 0.94 there against 1 for a collapse. Or over the batch,
   * "values", 1 − det C with C the correlation matrix of the cyclic momenta's values across the
   * batch's states: 0 for uncorrelated momenta, 1 when one is a linear function of the others. It
   * does not charge ∇H ∥ ∇L at a state, only H and L moving together across the data (corr 0.13
   * on tilted orbits with retrograde ones, SCNN-EXPERIMENTS.md). Momenta constant over the batch are left out
   * of C (a constant is uncorrelated with everything; its zero column would make det C 0).
   */
  independence?: IndependenceForm;
  /**
   * What stands for the cyclic coordinates Q_1…Q_{n_c} in 𝓛_Poisson (default "outputs"):
   * "outputs", T's own outputs (the paper's); or "gradients", the rows ∇Q_i of T's Jacobian given
   * directly by a third network (e_i + MLP(x)), without asking that they be gradients of
   * single-valued functions. H_θ never sees Q_1…Q_{n_c}; they only keep the cyclic momenta
   * independent ({Q_i, P_j} = δ_ij). The angle conjugate to an angular momentum is multivalued on
   * an annulus around the origin, but its gradient is not, so "outputs" forbids L among the
   * momenta while "gradients" does not.
   */
  cyclicQ?: "outputs" | "gradients";
  /**
   * A fixed linear canonical map M (d×d, row-major) applied before T (default none, i.e. the
   * identity): T starts as y + MLP(y) with y = M x, and with `cyclicQ: "gradients"` the rows ∇Q_i
   * start at M's rows. Being canonical, M changes neither the Poisson-bracket loss nor what a
   * conserved momentum is; it changes only where T starts. A map that is not canonical (an
   * entry of M Ω Mᵀ − Ω above 1e-12) is refused.
   */
  inputMap?: readonly (readonly number[])[];
  /**
   * The first k canonical pairs (Q_1…Q_k, P_1…P_k) of T's input pass through T unchanged, and T's
   * network sees only the other pairs (default 0). With the centre-of-mass map and k = 2 the
   * centre of mass and total momentum are kept exactly, and T acts on the relative motion alone,
   * so its momenta beyond P_1, P_2 cannot be mixtures of the total momentum.
   */
  fixedPairs?: number;
  /**
   * What T is (default "general"): "general", the paper's near-identity map (Q, P) = y + MLP(y) of
   * the moved pairs, kept canonical only by 𝓛_Poisson; or "point", the cotangent lift of a map φ
   * of the moved configuration coordinates q alone, Q = φ(q), P = Dφ(q)^{−T} p
   * ({@link cotangentLift}). A point T is canonical by construction up to the brackets
   * {P_i, P_j} (the cyclic rows must be closed forms, 𝓛_Poisson's part), and every P_i is linear
   * in p: a conserved one is the momentum of a point symmetry (Noether), so on the two-body
   * problem total momentum or the angular momentum L, never the energy or the Runge–Lenz vector
   * (quadratic in p). A restriction of the general T. Its single-valued coordinates are
   * φ_j(q) = q_j + MLP(q)_j; with `cyclicQ: "gradients"` the moved cyclic coordinates' rows of
   * Dφ are e_i + MLP(q)_i from their own network (the angle conjugate to L is multivalued), with
   * "outputs" they too are single-valued φ_i. Needs cyclic < n: H_θ of the momenta of a point
   * transformation alone is a free motion.
   */
  transform?: ScnnTransform;
  /**
   * Where a point T's map starts (default "identity"): "identity", φ(q) = q + MLP(q) and rows
   * e_i + MLP(q); or "polar", with two moved coordinates of which one is cyclic (the relative
   * frame with 3 cyclic coordinates and `cyclicQ: "gradients"`), the polar frame of the moved
   * plane: the cyclic row θ̂ + MLP(q) with θ̂ = (−q_y, q_x)/|q| and the coordinate |q| + MLP(q).
   * A frame of invertible Jacobians cannot be deformed from the identity's, which does not turn
   * along a loop around the origin, into polar coordinates', which turns once (the winding number
   * of a map from the loop into GL(2)): training from "identity" must pass through a singular Dφ,
   * where P = Dφ^{−T} p blows up. The polar start turns once already; its momentum θ̂·p = L/|q| is
   * not conserved, the factor 1/|q| is left to learn.
   */
  pointStart?: PointStart;
  /**
   * With the polar start (the point T's or the general T's), how far it is from the polar frame about the collision point (default
   * 0: that frame exactly): the frame of u = A(q − c), with the centre c uniform in the disc of
   * radius ε around the origin and A a rotation by a uniform angle times diag(e^s, e^{−s}), s
   * uniform in [−ε, ε], drawn from the seed ({@link polarStartFrame}). It still turns once around
   * the origin, but its level curves are ellipses about another centre: a conserved momentum
   * has to be learned, not kept.
   */
  pointStartSpread?: number;
  /**
   * Where the general T starts (default "identity"): "identity", the paper's near-identity map
   * y + MLP(y); or "polar", with two moved coordinates of which one is cyclic (the relative frame
   * with 3 cyclic coordinates and `cyclicQ: "gradients"`), the cotangent lift of polar coordinates
   * of the moved plane plus an MLP: T(y) = Lift(y) + MLP(y) ({@link polarLift}), the angle's row of
   * J_T ∇θ + MLP(y) ({@link polarAngleGradient}). Both networks' last layers start at zero, so T
   * starts as the lift exactly, canonical (𝓛_Poisson at rounding) and with L among its momenta;
   * training is free to leave it, T staying the paper's general network kept canonical only by
   * 𝓛_Poisson. The identity's start cannot reach polar coordinates without passing a singular
   * Jacobian (see `pointStart`). With `pointStartSpread` ε > 0 it is the lift of the polar
   * coordinates of u = A(q − c) instead ({@link polarStartFrame}), whose angle's momentum is not
   * conserved: only the winding is given, L has to be learned.
   */
  generalStart?: GeneralStart;
  /**
   * What H_θ is (default "general"): "general", an MLP of the non-cyclic coordinates and every
   * momentum (the paper's); or "mechanical", K = ½ Pᵀ C(Q) C(Q)ᵀ P + V(Q) with C lower triangular
   * and V from one MLP of the non-cyclic coordinates Q_{n_c+1…n} alone ({@link mechanicalEnergy}):
   * kinetic energy quadratic in the momenta, as for every natural mechanical system (no
   * velocity-dependent forces). A point transformation keeps that form (p = Dφ(q)ᵀ P), so with
   * `transform: "point"` it excludes nothing the two-body Hamiltonian needs. The kinetic term is
   * positive semidefinite by construction, also where the data do not reach: with the general
   * H_θ, rollouts of the point T that pass just inside the training states' pericentres found a
   * learned centrifugal barrier too low and fell into the collision (SCNN-EXPERIMENTS.md). It
   * starts near the free motion ½|P|². Needs a non-cyclic coordinate (cyclic < n).
   */
  hamiltonian?: ScnnHamiltonian;
  seed: number;
}

/** The largest {@link ScnnOptions.pointStartSpread}: the start's centre stays well inside the data's hole around the collision point. */
export const MAX_POINT_START_SPREAD = 0.25;

/**
 * The off-centre polar start of spread ε from `seed`: the centre c uniform in the disc of radius ε
 * and A = R(ψ)·diag(e^s, e^{−s}), ψ uniform in [0, 2π), s uniform in [−ε, ε] (row-major).
 */
export function polarStartFrame(spread: number, seed: number): { centre: [number, number]; A: number[][] } {
  const u = random.uniform(random.foldIn(random.key(seed), POINT_START_STREAM), [4]).toFloat64Array();
  const radius = spread * Math.sqrt(u[0]);
  const phi = 2 * Math.PI * u[1];
  const psi = 2 * Math.PI * u[2];
  const s = spread * (2 * u[3] - 1);
  const [c, d] = [Math.cos(psi), Math.sin(psi)];
  return {
    centre: [radius * Math.cos(phi), radius * Math.sin(phi)],
    A: [
      [c * Math.exp(s), -d * Math.exp(-s)],
      [d * Math.exp(s), c * Math.exp(-s)],
    ],
  };
}

/** The stream of the off-centre start's draws, apart from the networks' initial parameters. */
const POINT_START_STREAM = 7;

/** Where a point T's map starts, see {@link ScnnOptions}. */
export const POINT_STARTS = ["identity", "polar"] as const;
export type PointStart = (typeof POINT_STARTS)[number];

/** Where the general T starts, see {@link ScnnOptions}. */
export const GENERAL_STARTS = ["identity", "polar"] as const;
export type GeneralStart = (typeof GENERAL_STARTS)[number];

/** The forms of the SCNN's H_θ, see {@link ScnnOptions}. */
export const SCNN_HAMILTONIANS = ["general", "mechanical"] as const;
export type ScnnHamiltonian = (typeof SCNN_HAMILTONIANS)[number];

/**
 * The mechanical H_θ of n momenta from its network's outputs `out` ([B, n(n+1)/2 + 1]: the lower
 * triangle of C − I row by row, then V) and the momenta P ([B, n]): ½|Cᵀ P|² + V ([B]), with
 * (Cᵀ P)_k = Σ_{i ≥ k} C_ik P_i. Near zero outputs it is the free motion ½|P|², as T starts near
 * the identity.
 */
export function mechanicalEnergy(out: Tensor, P: Tensor): Tensor {
  const [B, n] = P.shape;
  const entries = (n * (n + 1)) / 2;
  if (out.shape.length !== 2 || out.shape[0] !== B || out.shape[1] !== entries + 1)
    throw new PhysmlInputError("out", `a [${B}, ${entries + 1}] tensor`, `[${out.shape.join(", ")}]`);
  const column = (t: Tensor, j: number) => slice(t, [0, j], [B, j + 1]);
  // C's row i starts at entry i(i+1)/2
  const entry = (i: number, k: number) => column(out, (i * (i + 1)) / 2 + k);
  let energy = column(out, entries);
  for (let k = 0; k < n; k++) {
    let y = mul(add(entry(k, k), 1), column(P, k));
    for (let i = k + 1; i < n; i++) y = add(y, mul(entry(i, k), column(P, i)));
    energy = add(energy, mul(square(y), 0.5));
  }
  return reshape(energy, [B]);
}

/** `params` with the last layer's weights and bias set to zero: the network's output starts at 0. */
function zeroLastLayer(params: LinearParams[]): LinearParams[] {
  const last = params[params.length - 1];
  return [...params.slice(0, -1), { ...last, w: zeros(last.w.shape), b: zeros(last.b.shape) }];
}

/** The forms of the SCNN's T, see {@link ScnnOptions}. */
export const SCNN_TRANSFORMS = ["general", "point"] as const;
export type ScnnTransform = (typeof SCNN_TRANSFORMS)[number];

/**
 * The columns of `values` ([rows, m] row-major) constant over the rows: their spread (max − min)
 * at most 1e-9·(1 + max |value|), rounding of an exactly conserved quantity such as P_x of
 * unboosted orbits, not a momentum that merely varies little.
 */
export function constantColumns(values: Float64Array, rows: number, m: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < rows; r++) {
      const v = values[r * m + i];
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (hi - lo <= 1e-9 * (1 + Math.max(Math.abs(lo), Math.abs(hi)))) out.push(i);
  }
  return out;
}

/** Refuses a given option that is not one of `allowed`, naming the field and the choices. */
function checkChoice(field: string, allowed: readonly string[], value: string | undefined): void {
  if (value !== undefined && !allowed.includes(value))
    throw new PhysmlInputError(field, allowed.map((v) => `"${v}"`).join(" | "), String(value));
}

/**
 * The symmetry-control network: (Q, P) = T(q, p) = x + MLP(x) (a near-identity start), H_θ a
 * function of (Q_{n_c+1…n}, P) only (𝓛_HQP built into the architecture), the flow
 * ẋ = J∇_x(H_θ ∘ T) (the flow of K = H_θ ∘ T, exact when T is canonical), and
 * 𝓛_Poisson = ‖J_T Ω J_Tᵀ − Ω‖² (all brackets {Q_i, P_j} = δ_ij, {Q_i, Q_j} = {P_i, P_j} = 0;
 * with `cyclicQ: "gradients"` the rows of Q_1…Q_{n_c} in J_T come from their own network), and
 * optionally 𝓛_conserved (the cyclic momenta's rates along the data's velocities), 𝓛_commute
 * (the cosines of the cyclic momenta's brackets) and 𝓛_independent (the Gram determinant of their
 * normalised gradients). With `transform: "point"`, T is instead the cotangent lift of a map of
 * the moved configuration coordinates ({@link ScnnOptions}): its momenta are linear in p.
 */
export function scnnModel(o: ScnnOptions): FieldModel<ScnnParams> & {
  transform(p: ScnnParams, x: Tensor): Tensor;
  /** The learned Hamiltonian K = H_θ ∘ T at each state of x ([B]): the flow's conserved quantity. */
  hamiltonian(p: ScnnParams, x: Tensor): Tensor;
  poisson(p: ScnnParams, x: Tensor): Tensor;
  /** 𝓛_commute: the mean squared cosine of {P_i, P_j} over the states and pairs i ≠ j of cyclic momenta. */
  commutation(p: ScnnParams, x: Tensor): Tensor;
  /**
   * 𝓛_independent in the model's `independence` form, or in `by`: the mean over the states of
   * 1 − det G (or of −log(det G + 1e-6)), G the Gram matrix of the cyclic momenta's normalised
   * gradients; or ("values") 1 − det C, C the correlation matrix of their values across `x`.
   */
  independence(p: ScnnParams, x: Tensor, by?: IndependenceForm): Tensor;
  /**
   * The cyclic momenta (0-based i of P_{i+1}) constant over the states `x`, which the "values"
   * form of 𝓛_independent leaves out, see {@link constantColumns}.
   */
  constantMomenta(p: ScnnParams, x: Tensor): number[];
  /** 𝓛_conserved: the mean square over the states and cyclic momenta of dP_i/dt (or its cosine). */
  conservation(p: ScnnParams, x: Tensor, xdot: Tensor): Tensor;
  /**
   * Per state and cyclic momentum ([B, n_c]), the cosine between ∇P_i and ẋ: with the true ẋ,
   * {P_i, H}/(|∇P_i||∇H|), zero where P_i is conserved.
   */
  flowCosines(p: ScnnParams, x: Tensor, xdot: Tensor): Tensor;
} {
  const n = o.dim / 2;
  if (!Number.isInteger(n) || n < 1) throw new PhysmlInputError("dim", "an even integer >= 2", o.dim);
  if (!Number.isInteger(o.cyclic) || o.cyclic < 0 || o.cyclic > n)
    throw new PhysmlInputError("cyclic", `an integer in [0, ${n}]`, o.cyclic);
  const cyclicQ = o.cyclicQ ?? "outputs";
  if (cyclicQ !== "outputs" && cyclicQ !== "gradients")
    throw new PhysmlInputError("cyclicQ", '"outputs" | "gradients"', String(o.cyclicQ));
  const M = o.inputMap;
  if (
    M !== undefined &&
    (M.length !== o.dim || M.some((row) => row.length !== o.dim) || !(symplecticDefect(M) <= 1e-12))
  )
    throw new PhysmlInputError("inputMap", `a canonical ${o.dim}×${o.dim} matrix`, "another matrix");
  // y = x Mᵀ row by row
  const Mt = M === undefined ? undefined : tensor(M.map((_, i) => M.map((row) => row[i])));
  const mapIn = (x: Tensor) => (Mt === undefined ? x : matmul(x, Mt));
  // split(k, 3) begins with split(k, 2): T and H start as they do without the third network
  const [kT, kH, kQ] = random.split(random.key(o.seed), 3);
  const k = o.fixedPairs ?? 0;
  if (!Number.isInteger(k) || k < 0 || k >= n)
    throw new PhysmlInputError("fixedPairs", `an integer in [0, ${n - 1}]`, o.fixedPairs);
  const moved = o.dim - 2 * k;
  const form = o.transform ?? "general";
  checkChoice("transform", SCNN_TRANSFORMS, o.transform);
  const point = form === "point";
  if (point && o.cyclic >= n)
    throw new PhysmlInputError("cyclic", `an integer in [0, ${n - 1}] with transform "point"`, o.cyclic);
  // a point T: m moved configuration coordinates, the first mc of them cyclic and given by rows
  const m = n - k;
  const mc = point && cyclicQ === "gradients" ? Math.max(0, o.cyclic - k) : 0;
  const polar = (o.pointStart ?? "identity") === "polar";
  checkChoice("pointStart", POINT_STARTS, o.pointStart);
  if (polar && !(point && m === 2 && mc === 1))
    throw new PhysmlInputError(
      "pointStart",
      '"identity" unless a point T moves two coordinates, one of them cyclic given by its row',
      "polar",
    );
  const generalPolar = (o.generalStart ?? "identity") === "polar";
  checkChoice("generalStart", GENERAL_STARTS, o.generalStart);
  if (generalPolar && (point || cyclicQ !== "gradients" || m !== 2 || o.cyclic !== k + 1))
    throw new PhysmlInputError(
      "generalStart",
      '"identity" unless a general T moves two coordinates, one of them cyclic given by its row',
      "polar",
    );
  const netT = point
    ? new MLP([m, ...o.hidden, m - mc], { key: kT, activation: "tanh" })
    : new MLP([moved, ...o.hidden, moved], { key: kT, activation: "tanh" });
  const mechanical = (o.hamiltonian ?? "general") === "mechanical";
  checkChoice("hamiltonian", SCNN_HAMILTONIANS, o.hamiltonian);
  if (mechanical && o.cyclic >= n)
    throw new PhysmlInputError(
      "cyclic",
      `an integer in [0, ${n - 1}] with hamiltonian "mechanical"`,
      o.cyclic,
    );
  // the mechanical H_θ sees the non-cyclic coordinates alone: C's lower triangle and V
  const netH = mechanical
    ? new MLP([n - o.cyclic, ...o.hidden, (n * (n + 1)) / 2 + 1], { key: kH, activation: "tanh" })
    : new MLP([o.dim - o.cyclic, ...o.hidden, 1], { key: kH, activation: "tanh" });
  const netQ = point
    ? mc > 0
      ? new MLP([m, ...o.hidden, mc * m], { key: kQ, activation: "tanh" })
      : undefined
    : cyclicQ === "gradients" && o.cyclic > 0
      ? new MLP([o.dim, ...o.hidden, o.cyclic * o.dim], { key: kQ, activation: "tanh" })
      : undefined;
  // the columns of T's input that its network sees and moves: pairs k+1…n
  const movedPart = (y: Tensor) => {
    const B = y.shape[0];
    return k === 0 ? y : concat([slice(y, [0, k], [B, n]), slice(y, [0, n + k], [B, 2 * n])], 1);
  };
  const withFixed = (y: Tensor, d: Tensor) => {
    if (k === 0) return d;
    const B = y.shape[0];
    const zero = slice(y, [0, 0], [B, k]).mul(0);
    return concat([zero, slice(d, [0, 0], [B, n - k]), zero, slice(d, [0, n - k], [B, moved])], 1);
  };
  // the polar frame of the moved plane: |q| ([B, 1]) and θ̂ = (−q_y, q_x)/|q| ([B, 2]); with a
  // spread, the same in u = A(q − c), the row pulled back to q (θ̂_u A)
  const spread = o.pointStartSpread ?? 0;
  if (!(spread >= 0 && spread <= MAX_POINT_START_SPREAD))
    throw new PhysmlInputError(
      "pointStartSpread",
      `a number in [0, ${MAX_POINT_START_SPREAD}]`,
      o.pointStartSpread,
    );
  if (spread > 0 && !polar && !generalPolar)
    throw new PhysmlInputError("pointStartSpread", '0 unless pointStart or generalStart is "polar"', spread);
  const startFrame = spread > 0 ? polarStartFrame(spread, o.seed) : undefined;
  const frameA = startFrame && tensor(startFrame.A);
  const frameAt = startFrame && tensor(startFrame.A.map((_, i) => startFrame.A.map((row) => row[i])));
  const frameC = startFrame && tensor([startFrame.centre]);
  const startCoordinates = (q: Tensor) => (frameAt && frameC ? matmul(sub(q, frameC), frameAt) : q);
  const norm = (u: Tensor) => sqrt(sum(square(u), 1, true));
  const radius = (q: Tensor) => norm(startCoordinates(q));
  const polarAngleRow = (q: Tensor) => {
    const B = q.shape[0];
    const u = startCoordinates(q);
    const row = div(concat([neg(slice(u, [0, 1], [B, 2])), slice(u, [0, 0], [B, 1])], 1), norm(u));
    return frameA ? matmul(row, frameA) : row;
  };
  // a point T's moved cyclic rows a_i(q) = e_i + MLP(q)_i ([B, mc, m]) and single-valued
  // coordinates φ_j(q) = q_j + MLP(q)_j, on the moved configuration coordinates q; from the
  // polar start θ̂ + MLP(q) and |q| + MLP(q)
  const pointMap = (p: ScnnParams): PointMap => ({
    ...(netQ && point
      ? {
          rows: (q: Tensor) =>
            add(
              polar
                ? reshape(polarAngleRow(q), [q.shape[0], 1, 2])
                : tensor(
                    Array.from({ length: mc }, (_, i) =>
                      Array.from({ length: m }, (_, j) => (i === j ? 1 : 0)),
                    ),
                  ),
              reshape(netQ.apply(p.Q, q), [q.shape[0], mc, m]),
            ),
        }
      : {}),
    coordinates: (q: Tensor) =>
      add(polar ? radius(q) : slice(q, [0, mc], [q.shape[0], m]), netT.apply(p.T, q)),
  });
  const movedConfiguration = (y: Tensor) => slice(y, [0, k], [y.shape[0], n]);
  // (fixed Q, moved cyclic Q, φ(q), fixed P, Dφ^{−T} p): the moved cyclic Q enter only through
  // their rows, so their outputs here are the input coordinates, which nothing reads
  const pointTransform = (p: ScnnParams, x: Tensor) => {
    const y = mapIn(x);
    const B = y.shape[0];
    const q = movedConfiguration(y);
    const lift = cotangentLift(pointMap(p), q, slice(y, [0, n + k], [B, 2 * n]));
    const fixedQ = k + mc > 0 ? [slice(y, [0, 0], [B, k + mc])] : [];
    const fixedP = k > 0 ? [slice(y, [0, n], [B, n + k])] : [];
    return concat([...fixedQ, lift.coordinates, ...fixedP, lift.momenta], 1);
  };
  const transform = (p: ScnnParams, x: Tensor) => {
    if (point) return pointTransform(p, x);
    const y = mapIn(x);
    return add(generalPolar ? polarLift(y, k, startFrame) : y, withFixed(y, netT.apply(p.T, movedPart(y))));
  };
  const K = (p: ScnnParams, x: Tensor) => {
    const z = transform(p, x);
    const B = x.shape[0];
    const Q = slice(z, [0, o.cyclic], [B, n]);
    const P = slice(z, [0, n], [B, 2 * n]);
    if (mechanical) return mechanicalEnergy(netH.apply(p.H, Q), P);
    return reshape(netH.apply(p.H, concat([Q, P], 1)), [B]);
  };
  const omega = (() => {
    const O = new Float64Array(o.dim * o.dim);
    for (let i = 0; i < n; i++) {
      O[i * o.dim + n + i] = 1;
      O[(n + i) * o.dim + i] = -1;
    }
    return O;
  })();
  // ∇Q_i = e_i M + MLP(y)_i: near the rows of M (of the identity without one), as T starts; from
  // the general T's polar start the angle's row (the last cyclic one) is ∇θ M instead
  const eyeRows = () =>
    tensor(
      Array.from({ length: o.cyclic }, (_, i) =>
        Array.from({ length: o.dim }, (_, j) =>
          generalPolar && i === k ? 0 : M === undefined ? (i === j ? 1 : 0) : M[i][j],
        ),
      ),
    );
  // ∇θ through M as the angle's row of J_T ([B, n_c, d], the other rows 0)
  const polarRow = (y: Tensor) => {
    const B = y.shape[0];
    const row = reshape(polarAngleGradient(y, k, startFrame), [B, 1, o.dim]);
    const inX = M === undefined ? row : matmul(row, tensor(M.map((r) => [...r])));
    return k > 0 ? concat([zeros([B, k, o.dim]), inX], 1) : inX;
  };
  // T's Jacobian [B, d, d], its rows of Q_1…Q_{n_c} replaced by netQ's gradients when it has one
  const jacobian = (p: ScnnParams, x: Tensor) => {
    const J = perSampleJacobian((z: Tensor) => transform(p, z))(x);
    if (point) return netQ ? withPointRows(p, x, J) : J;
    if (!netQ) return J;
    const B = x.shape[0];
    const y = mapIn(x);
    const start = generalPolar ? add(eyeRows(), polarRow(y)) : eyeRows();
    const gradQ = add(start, reshape(netQ.apply(p.Q, y), [B, o.cyclic, o.dim]));
    return concat([gradQ, slice(J, [0, o.cyclic, 0], [B, o.dim, o.dim])], 1);
  };
  // a point T's moved cyclic rows in J: a_i(q) placed at the moved configuration coordinates of y,
  // then through M (∂Q/∂x = ∂Q/∂y · M); the fixed pairs' rows are J's own
  const withPointRows = (p: ScnnParams, x: Tensor, J: Tensor) => {
    const B = x.shape[0];
    const rows = pointMap(p).rows?.(movedConfiguration(mapIn(x)));
    if (rows === undefined) return J;
    const parts = [...(k > 0 ? [zeros([B, mc, k])] : []), rows, zeros([B, mc, n])];
    const inY = concat(parts, 2);
    const inX = M === undefined ? inY : matmul(inY, tensor(M.map((row) => [...row])));
    const fixedRows = k > 0 ? [slice(J, [0, 0, 0], [B, k, o.dim])] : [];
    return concat([...fixedRows, inX, slice(J, [0, k + mc, 0], [B, o.dim, o.dim])], 1);
  };
  const bracketError = (J: Tensor) => {
    const W = tensor(omega, [o.dim, o.dim]);
    return mean(square(sub(matmul(matmul(J, W), transpose(J, [0, 2, 1])), W)));
  };
  // dP_i/dt = Σ_j ∂P_i/∂x_j ẋ_j for the cyclic momenta P_1…P_{n_c} (rows n…n+n_c−1 of J)
  const momentumRates = (J: Tensor, xdot: Tensor, by: "rate" | "cosine" = scale) => {
    const B = xdot.shape[0];
    const rates = matmul(J, reshape(xdot, [B, o.dim, 1]));
    const r = slice(rates, [0, n, 0], [B, n + o.cyclic, 1]);
    if (by === "rate") return r;
    const g = sum(square(slice(J, [0, n, 0], [B, n + o.cyclic, o.dim])), 2, true);
    const v = reshape(sum(square(xdot), 1), [B, 1, 1]);
    // the 1e-12 only guards a state at rest with a flat P_i, where the cosine is undefined
    return div(r, sqrt(add(mul(g, v), 1e-12)));
  };
  // {P_i, P_j}²/(|∇P_i|²|∇P_j|²) averaged over the states and the pairs i ≠ j (the diagonal is 0)
  const commutation = (J: Tensor) => {
    const B = J.shape[0];
    const G = slice(J, [0, n, 0], [B, n + o.cyclic, o.dim]);
    const brackets = matmul(matmul(G, tensor(omega, [o.dim, o.dim])), transpose(G, [0, 2, 1]));
    const g = sum(square(G), 2, true);
    const norms = matmul(g, transpose(g, [0, 2, 1]));
    return mean(div(square(brackets), add(norms, 1e-12))).mul(o.cyclic / (o.cyclic - 1));
  };
  const independenceForm = o.independence ?? "determinant";
  if (!INDEPENDENCE_FORMS.includes(independenceForm))
    throw new PhysmlInputError("independence", '"determinant" | "log" | "values"', String(o.independence));
  // det of the Gram matrix of the rows of U ([B, m, d], each row of unit length) by Gram–Schmidt:
  // det = Π_k |u_k − its projection on u_1…u_{k−1}|², which stays differentiable where the rows
  // become dependent; [B, 1, 1]
  const gramDet = (U: Tensor) => {
    const [B, m, d] = U.shape;
    const basis: Tensor[] = [];
    let det: Tensor | undefined;
    for (let i = 0; i < m; i++) {
      let r = slice(U, [0, i, 0], [B, i + 1, d]);
      for (const e of basis) r = sub(r, mul(sum(mul(r, e), 2, true), e));
      const rr = sum(square(r), 2, true);
      det = det === undefined ? rr : mul(det, rr);
      basis.push(div(r, sqrt(add(rr, 1e-12))));
    }
    return det ?? tensor(1);
  };
  const unitRows = (G: Tensor) => div(G, sqrt(add(sum(square(G), 2, true), 1e-12)));
  // per state, the cyclic momenta's normalised gradients (rows n…n+n_c−1 of J)
  const gradientIndependence = (J: Tensor, by: "determinant" | "log") => {
    const B = J.shape[0];
    const det = gramDet(unitRows(slice(J, [0, n, 0], [B, n + o.cyclic, o.dim])));
    return mean(by === "log" ? neg(log(add(det, 1e-6))) : sub(1, det));
  };
  // the cyclic momenta's values over the states ([B, n_c])
  const momenta = (z: Tensor) => slice(z, [0, n], [z.shape[0], n + o.cyclic]);
  // over the batch: the Gram matrix of the centred, normalised columns of the momenta's values is
  // their correlation matrix C; 1 − det C. A momentum constant over the states (P_x of the relative
  // frame on unboosted data) has a zero centred column, whose factor 0 in det C would read as a
  // collapse and leave the others without gradient: C is taken over the varying ones (0 with
  // fewer than two)
  const valueIndependence = (z: Tensor) => {
    const B = z.shape[0];
    const all = momenta(z);
    const constant = constantColumns(all.toFloat64Array(), B, o.cyclic);
    const varying = Array.from({ length: o.cyclic }, (_, i) => i).filter((i) => !constant.includes(i));
    if (varying.length < 2) return tensor(0);
    const P =
      constant.length === 0
        ? all
        : concat(
            varying.map((i) => slice(all, [0, i], [B, i + 1])),
            1,
          );
    const m = varying.length;
    const centred = sub(P, mean(P, 0, true));
    return sub(1, reshape(gramDet(unitRows(reshape(transpose(centred, [1, 0]), [1, m, B]))), []));
  };
  const independence = (p: ScnnParams, x: Tensor, J: Tensor | undefined, by = independenceForm) =>
    by === "values" ? valueIndependence(transform(p, x)) : gradientIndependence(J ?? jacobian(p, x), by);
  const scale = o.conservation ?? "rate";
  if (scale !== "rate" && scale !== "cosine")
    throw new PhysmlInputError("conservation", '"rate" | "cosine"', String(o.conservation));
  const cw = o.conservationWeight ?? 0;
  if (!(cw >= 0) || !Number.isFinite(cw))
    throw new PhysmlInputError("conservationWeight", "a finite number >= 0", o.conservationWeight);
  const kw = o.commutationWeight ?? 0;
  if (!(kw >= 0) || !Number.isFinite(kw))
    throw new PhysmlInputError("commutationWeight", "a finite number >= 0", o.commutationWeight);
  const iw = o.independenceWeight ?? 0;
  if (!(iw >= 0) || !Number.isFinite(iw))
    throw new PhysmlInputError("independenceWeight", "a finite number >= 0", o.independenceWeight);
  return {
    kind: "scnn",
    init: (): ScnnParams => {
      // from the general T's polar start, T and the rows start at the lift exactly
      const start = (params: LinearParams[]) => (generalPolar ? zeroLastLayer(params) : params);
      const p: ScnnParams = { T: start(netT.params), H: netH.params };
      if (netQ) p.Q = start(netQ.params);
      return p;
    },
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
      const conserved = cw > 0 && o.cyclic > 0 ? add(fit, mean(square(momentumRates(J, xdot))).mul(cw)) : fit;
      const commuting = kw > 0 && o.cyclic > 1 ? add(conserved, commutation(J).mul(kw)) : conserved;
      return iw > 0 && o.cyclic > 1 ? add(commuting, independence(p, x, J).mul(iw)) : commuting;
    },
    transform,
    hamiltonian: K,
    poisson: (p, x) => bracketError(jacobian(p, x)),
    commutation: (p, x) => (o.cyclic > 1 ? commutation(jacobian(p, x)) : tensor(0)),
    independence: (p, x, by) => (o.cyclic > 1 ? independence(p, x, undefined, by) : tensor(0)),
    constantMomenta: (p, x) => {
      const B = x.shape[0];
      return constantColumns(momenta(transform(p, x)).toFloat64Array(), B, o.cyclic);
    },
    conservation: (p, x, xdot) =>
      o.cyclic > 0 ? mean(square(momentumRates(jacobian(p, x), xdot))) : tensor(0),
    flowCosines: (p, x, xdot) =>
      reshape(momentumRates(jacobian(p, x), xdot, "cosine"), [x.shape[0], o.cyclic]),
  };
}
