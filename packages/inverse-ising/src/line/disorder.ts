// Disorder-line (dual Z2 line) correlators of the square-lattice model H = −β Σ⟨ij⟩ s_i s_j −
// κ Σ s_i s_j s_k s_l − λ Σ[ij] s_i s_j (nn, plaquette, diagonal nnn) measured on its own samples.
// A dual path γ from dual site a to dual site b inserts the Z2 symmetry defect along γ: every term
// whose sites γ separates into two odd groups changes sign, so ⟨μ_a μ_b⟩ = Z_γ/Z =
// ⟨exp(−2 Σ_{flipped terms} c_T T(s))⟩. The nn bonds flipped are the links γ crosses. Inside a
// plaquette that γ passes through, its two cut links split the four corners: turning a corner
// isolates one corner (the plaquette flips, and the diagonal through that corner), going
// straight splits 2 : 2 (the plaquette does not flip; both diagonals do, each joins the two
// sides). At κ = λ = 0 this is the Kramers–Wannier image of the dual spin correlator,
// ⟨s*_a s*_b⟩_β̃ = ⟨Π_{l ∈ γ} exp(−2β s_i s_j)⟩_β (exact on a torus when the original is summed
// over its boundary twists). At an endpoint one cut link splits nothing, so the endpoint
// plaquette's own plaquette and diagonal terms need a rule, which only matters when κ or λ ≠ 0.
// "half" (default): each is half flipped (weight exp(−c_T T)), whichever link the line enters by:
// the rule of the bond representation in which every plaquette-local term is the mean of its two
// paths around the plaquette, so the line is topological with any end links and the correlators
// are exactly the spin correlators of one dual Hamiltonian (exact-dual-hamiltonian.ts). "cut-link"
// (until 4 Dec 2026): nothing but the cut link flips; then a detour that changes the end link
// changes the expectation, and g1, g2, g3 are correlators of differently dressed operators.

/** Per-sample disorder-line correlators, averaged over the lattice and the orientations. */
export interface DisorderSeries {
  /** One dual step: ⟨exp(−2β s_i s_j)⟩ over every link (the dual nn correlator). */
  g1: Float64Array;
  /** Dual diagonal, averaged over its four two-step paths (the dual nnn correlator). */
  g2: Float64Array;
  /** Dual diagonals along the paths right-then-up and down-then-right… */
  g2PathA: Float64Array;
  /** …and up-then-right, right-then-down: equal to g2PathA in expectation iff the line is topological. */
  g2PathB: Float64Array;
  /** Two straight dual steps (the dual distance-2 correlator along an axis), a check of the fit. */
  g3: Float64Array;
  /** A knight's move, (2, 1) and (1, 2) (paths right-right-up, up-up-right): the check when g3 is fitted. */
  g4: Float64Array;
}

/** Couplings of the original: nn β, plaquette κ and diagonal (next-to-nearest) λ; missing = 0. */
export interface LineCouplings {
  nn: number;
  plaquette?: number;
  nnn?: number;
}

/** What a line's endpoint plaquettes flip besides the cut link (see the file's header). */
export type LineEndpoints = "half" | "cut-link";

/**
 * The disorder-line correlators of every configuration of an L × L torus (site x + L·y;
 * `twist[d]`: antiperiodic along axis d, as lattice-core's twisted lattices).
 */
export function disorderLineSeries(
  spins: Int8Array,
  L: number,
  couplings: LineCouplings,
  twist: readonly boolean[] = [false, false],
  endpoints: LineEndpoints = "half",
): DisorderSeries {
  const beta = couplings.nn;
  const kappa = couplings.plaquette ?? 0;
  const lambda = couplings.nnn ?? 0;
  const N = L * L;
  const M = spins.length / N;
  const out: DisorderSeries = {
    g1: new Float64Array(M),
    g2: new Float64Array(M),
    g2PathA: new Float64Array(M),
    g2PathB: new Float64Array(M),
    g3: new Float64Array(M),
    g4: new Float64Array(M),
  };
  const tx = twist[0] ? -1 : 1;
  const ty = twist[1] ? -1 : 1;
  for (let a = 0; a < M; a++) {
    const o = a * N;
    // Spin at (x, y) for 0 ≤ x, y < 2L, with the twist's sign when it wraps.
    const s = (x: number, y: number): number => {
      let sign = 1;
      if (x >= L) {
        x -= L;
        sign *= tx;
      }
      if (y >= L) {
        y -= L;
        sign *= ty;
      }
      return sign * spins[o + x + L * y];
    };
    const h = (x: number, y: number) => s(x, y) * s(x + 1, y);
    const v = (x: number, y: number) => s(x, y) * s(x, y + 1);
    const P = (x: number, y: number) => s(x, y) * s(x + 1, y) * s(x + 1, y + 1) * s(x, y + 1);
    // Diagonal bond from (x, y) to (x + dx, y + dy).
    const d = (x: number, y: number, dx: number, dy: number) => s(x, y) * s(x + dx, y + dy);
    // Weight of a two-step path: its two cut links, the plaquette and diagonals flipped between them.
    const w = (x1: number, x2: number, p: number, diag: number) =>
      Math.exp(-2 * beta * (x1 + x2) - 2 * kappa * p - 2 * lambda * diag);
    // Per plaquette (x, y) the exponent its own terms lose at an endpoint: κP + λ(both diagonals).
    const E = new Float64Array(N);
    if (endpoints === "half" && (kappa !== 0 || lambda !== 0))
      for (let y = 0; y < L; y++)
        for (let x = 0; x < L; x++)
          E[x + L * y] = kappa * P(x, y) + lambda * (d(x, y, 1, 1) + d(x, y + 1, 1, -1));
    // exp(−E_a − E_b) for the endpoint plaquettes (x, y) and (x + dx, y + dy).
    const ends = (x: number, y: number, dx: number, dy: number) =>
      Math.exp(-E[(x % L) + L * (y % L)] - E[((x + dx) % L) + L * ((y + dy) % L)]);
    let g1 = 0;
    let pa = 0;
    let pb = 0;
    let g3 = 0;
    let g4 = 0;
    for (let y = 0; y < L; y++)
      for (let x = 0; x < L; x++) {
        // h(x, y + 1) parts plaquettes (x, y) and (x, y + 1); v(x + 1, y) parts (x, y) and (x + 1, y).
        g1 +=
          ends(x, y, 0, 1) * Math.exp(-2 * beta * h(x, y + 1)) +
          ends(x, y, 1, 0) * Math.exp(-2 * beta * v(x + 1, y));
        // Diagonal from plaquette (x, y) to (x+1, y+1): right-then-up turns in P(x+1, y),
        // up-then-right in P(x, y+1). Anti-diagonal from (x, y+1) to (x+1, y): right-then-down
        // turns in P(x+1, y+1), down-then-right in P(x, y). Each turn isolates the corner
        // (x+1, y+1); the diagonal flipped joins it to the opposite corner of the turning plaquette.
        // Endpoints: plaquettes (x, y) and (x+1, y+1) for the diagonal, (x, y+1) and (x+1, y) for the anti-diagonal.
        const eDiag = ends(x, y, 1, 1);
        const eAnti = ends(x, y + 1, 1, L - 1);
        pa +=
          eDiag * w(v(x + 1, y), h(x + 1, y + 1), P(x + 1, y), d(x + 1, y + 1, 1, -1)) +
          eAnti * w(h(x, y + 1), v(x + 1, y), P(x, y), d(x, y, 1, 1));
        pb +=
          eDiag * w(h(x, y + 1), v(x + 1, y + 1), P(x, y + 1), d(x, y + 2, 1, -1)) +
          eAnti * w(v(x + 1, y + 1), h(x + 1, y + 1), P(x + 1, y + 1), d(x + 1, y + 1, 1, 1));
        // Straight through P(x+1, y) and through P(x, y+1): both diagonals of that plaquette.
        g3 +=
          ends(x, y, 2, 0) * w(v(x + 1, y), v(x + 2, y), 0, d(x + 1, y, 1, 1) + d(x + 1, y + 1, 1, -1)) +
          ends(x, y, 0, 2) * w(h(x, y + 1), h(x, y + 2), 0, d(x, y + 1, 1, 1) + d(x, y + 2, 1, -1));
        // Right, right, up: straight through P(x+1, y) (both diagonals), then a turn in P(x+2, y)
        // isolating its corner (x+2, y+1). Up, up, right: straight through P(x, y+1), a turn in
        // P(x, y+2) isolating (x+1, y+2). The turn's diagonal is the one through the isolated corner.
        g4 +=
          ends(x, y, 2, 1) *
            w(v(x + 1, y), v(x + 2, y), 0, d(x + 1, y, 1, 1) + d(x + 1, y + 1, 1, -1)) *
            Math.exp(
              -2 * beta * h(x + 2, y + 1) - 2 * kappa * P(x + 2, y) - 2 * lambda * d(x + 2, y + 1, 1, -1),
            ) +
          ends(x, y, 1, 2) *
            w(h(x, y + 1), h(x, y + 2), 0, d(x, y + 1, 1, 1) + d(x, y + 2, 1, -1)) *
            Math.exp(-2 * beta * v(x + 1, y + 2) - 2 * kappa * P(x, y + 2) - 2 * lambda * d(x, y + 3, 1, -1));
      }
    out.g1[a] = g1 / (2 * N);
    out.g2PathA[a] = pa / (2 * N);
    out.g2PathB[a] = pb / (2 * N);
    out.g2[a] = (pa + pb) / (4 * N);
    out.g3[a] = g3 / (2 * N);
    out.g4[a] = g4 / (2 * N);
  }
  return out;
}
