// How a learned front end's linear map W is parameterised. Dense: its N × N entries. Separable
// (a 2D torus L1 × L2, sites row-major): W = A ⊗ B, one L1 × L1 map along the first axis and one
// L2 × L2 map along the second, L1² + L2² entries. The separable class contains the product of
// the two 1D real DFTs, whose rows cos/sin(k_x x)·cos/sin(k_y y) mix k = (k_x, k_y) only with its
// mirror (k_x, −k_y), which has the same nn bond weight cos k_x + cos k_y: so a separable map can
// give the per-coordinate classifier everything it uses from the 2D DFT (the energy as
// Σ_j λ_j z_j²) with 2L² instead of L⁴ parameters to memorise with. Orthogonal: W = exp(K) of a
// skew matrix K, orthogonal at every step rather than held near it by a penalty (which a loss term
// that whitening also satisfies pulls away from orthogonal, decorrelation.ts); N(N − 1)/2 free
// entries. Orthogonal-separable: exp(K_A) ⊗ exp(K_B), both at once (the product of the 1D DFTs is
// one), for tori where N × N exponentials cost too much.
import {
  add,
  expm,
  eye,
  matmul,
  mean,
  mT,
  mul,
  random,
  reshape,
  square,
  sub,
  type Tensor,
  tensor,
} from "@physml/autodiff";

/** The parameterisations of a learned map. */
export const MAP_KINDS = ["dense", "separable", "orthogonal", "orthogonal-separable"] as const;
export type MapKind = (typeof MAP_KINDS)[number];

/** A parameterisation of an N × N map W. */
export interface MapShape<M extends { [k: string]: Tensor }> {
  kind: MapKind;
  /** N, the inputs and outputs of W. */
  N: number;
  /** Entries learned. */
  parameters: number;
  /** The start: the identity plus 5 % Gaussian noise on every learned entry (breaks the symmetry). */
  init(seed: number): M;
  /** W (N × N). */
  matrix(p: M): Tensor;
  /** mean((W Wᵀ − 1)²), the orthogonality penalty, computed from the parameters. */
  orthogonality(p: M): Tensor;
}

const INIT_NOISE = 0.05;

/** The penalty of a map orthogonal by construction. */
const zero = tensor(0);

const nearIdentity = (n: number, key: ReturnType<typeof random.key>) =>
  add(eye(n), random.normal(key, [n, n], { std: INIT_NOISE }));

/** A ⊗ B for A (a × a) and B (b × b): (A ⊗ B)[i b + j, k b + l] = A[i, k] B[j, l]. */
export function kron(A: Tensor, B: Tensor): Tensor {
  const a = A.shape[0];
  const b = B.shape[0];
  return reshape(mul(reshape(A, [a, 1, a, 1]), reshape(B, [1, b, 1, b])), [a * b, a * b]);
}

/** W's N × N entries, all learned. */
export function denseMap(N: number): MapShape<{ W: Tensor }> {
  return {
    kind: "dense",
    N,
    parameters: N * N,
    init: (seed) => ({ W: nearIdentity(N, random.key(seed)) }),
    matrix: (p) => p.W,
    orthogonality: (p) => mean(square(sub(matmul(p.W, mT(p.W)), eye(N)))),
  };
}

/** W = A ⊗ B on a torus of shape [L1, L2] (row-major sites): A acts along the first axis. */
export function separableMap(shape: readonly [number, number]): MapShape<{ A: Tensor; B: Tensor }> {
  const [L1, L2] = shape;
  const N = L1 * L2;
  return {
    kind: "separable",
    N,
    parameters: L1 * L1 + L2 * L2,
    init: (seed) => {
      const [ka, kb] = random.split(random.key(seed));
      return { A: nearIdentity(L1, ka), B: nearIdentity(L2, kb) };
    },
    matrix: (p) => kron(p.A, p.B),
    // W Wᵀ = (A Aᵀ) ⊗ (B Bᵀ): N² entries instead of an N³ product.
    orthogonality: (p) => mean(square(sub(kron(matmul(p.A, mT(p.A)), matmul(p.B, mT(p.B))), eye(N)))),
  };
}

/**
 * W = exp(K), K = S − Sᵀ the skew part of the learned S: orthogonal for every S (its penalty is 0;
 * every rotation, det W = 1, is reached), the identity at S = 0. The start is S with 5 % Gaussian
 * noise, near the identity like the other maps'.
 */
export function orthogonalMap(N: number): MapShape<{ S: Tensor }> {
  return {
    kind: "orthogonal",
    N,
    parameters: (N * (N - 1)) / 2,
    init: (seed) => ({ S: random.normal(random.key(seed), [N, N], { std: INIT_NOISE }) }),
    matrix: (p) => expm(sub(p.S, mT(p.S))),
    orthogonality: () => zero,
  };
}

/** exp(S_A − S_Aᵀ) ⊗ exp(S_B − S_Bᵀ) on a torus [L1, L2]: separable and orthogonal for any S_A, S_B. */
export function orthogonalSeparableMap(shape: readonly [number, number]): MapShape<{ A: Tensor; B: Tensor }> {
  const [L1, L2] = shape;
  const [a, b] = [orthogonalMap(L1), orthogonalMap(L2)];
  return {
    kind: "orthogonal-separable",
    N: L1 * L2,
    parameters: a.parameters + b.parameters,
    init: (seed) => {
      const [ka, kb] = random.split(random.key(seed));
      return {
        A: random.normal(ka, [L1, L1], { std: INIT_NOISE }),
        B: random.normal(kb, [L2, L2], { std: INIT_NOISE }),
      };
    },
    matrix: (p) => kron(a.matrix({ S: p.A }), b.matrix({ S: p.B })),
    orthogonality: () => zero,
  };
}

/** The map of kind `kind` for a torus of shape [L1, L2] (dense and orthogonal: any N = L1 L2). */
export function mapShape(kind: MapKind, shape: readonly [number, number]): MapShape<{ [k: string]: Tensor }> {
  const N = shape[0] * shape[1];
  const made = {
    dense: () => denseMap(N),
    separable: () => separableMap(shape),
    orthogonal: () => orthogonalMap(N),
    "orthogonal-separable": () => orthogonalSeparableMap(shape),
  }[kind]();
  return made as unknown as MapShape<{ [k: string]: Tensor }>;
}
