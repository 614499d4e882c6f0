// Vol_CY of the Fermat quintic in closed form, the exact value the Monte Carlo volumes are
// checked against. In the chart z₀ = 1, |Ω|² d⁶x integrates as ∫_{C⁴} δ²(p) d⁸x with
// p = 1 + Σ z_i⁵; u_i = z_i⁵ (5 preimages, d²z = d²u / (25 |u|^{8/5})) turns it into
// 5⁻⁴ ∫ δ²(1 + Σ u_i) Π |u_i|^{−8/5} d²u_i, a complex Dirichlet integral equal to
// 5⁻⁴ π³ γ(1/5)⁴ / γ(4/5) = 5⁻⁴ π³ γ(1/5)⁵ with γ(a) = Γ(a)/Γ(1 − a). The package's Vol_CY is
// Vol_K · E_FS[w] with Vol_K = 5 and ∫_X det g_FS d⁶x = 5/3! (g_FS = (1/π) ∂∂̄ log|z|²), so it
// is 3! times that integral.

/** Γ(1/5) to double precision. */
const GAMMA_ONE_FIFTH = 4.590843711998803;

/** γ(1/5) = Γ(1/5)/Γ(4/5) = Γ(1/5)² sin(π/5)/π by Euler's reflection formula. */
const SMALL_GAMMA_ONE_FIFTH = (GAMMA_ONE_FIFTH ** 2 * Math.sin(Math.PI / 5)) / Math.PI;

/**
 * Exact Vol_CY = ∫_X Ω∧Ω̄ of the Fermat quintic (ψ = 0) in the normalisation of
 * {@link volumes}: 6 π³ γ(1/5)⁵ / 5⁴ ≈ 283.785, so κ = 5 / Vol_CY ≈ 0.0176189.
 */
export const FERMAT_VOLUME_CY = (6 * Math.PI ** 3 * SMALL_GAMMA_ONE_FIFTH ** 5) / 5 ** 4;
