// How a learned front end's linear map W is parameterised. Dense: its N × N entries. Separable
// (a 2D torus L1 × L2, sites row-major): W = A ⊗ B, one L1 × L1 map along the first axis and one
// L2 × L2 map along the second, L1² + L2² entries. The separable class contains the product of
// the two 1D real DFTs, whose rows cos/sin(k_x x)·cos/sin(k_y y) mix k = (k_x, k_y) only with its
// mirror (k_x, −k_y), which has the same nn bond weight cos k_x + cos k_y: so a separable map can
// give the per-coordinate classifier everything it uses from the 2D DFT (the energy as
// Σ_j λ_j z_j²) with 2L² instead of L⁴ parameters to memorise with.
import { add, eye, matmul, mean, mT, mul, random, reshape, square, sub, type Tensor } from "@physml/autodiff";

/** The parameterisations of a learned map. */
export const MAP_KINDS = ["dense", "separable"] as const;
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

/** The map of kind `kind` for a torus of shape [L1, L2] (dense: any N = L1 L2). */
export function mapShape(kind: MapKind, shape: readonly [number, number]): MapShape<{ [k: string]: Tensor }> {
  return (kind === "separable" ? separableMap(shape) : denseMap(shape[0] * shape[1])) as MapShape<{
    [k: string]: Tensor;
  }>;
}
