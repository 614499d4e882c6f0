// The readout of a learned matrix (a Lax pair's L and M, a connection's A_x and A_t): each entry's
// fitted formula and its R², as the integrability commands keep it in a result and list it.

/** One entry's fitted formula and the fit's R². */
export type Fit = { formula: string; r2: number };

/** The formula and R² of every entry, and nothing else the fit carries (what a result keeps). */
export const fitsOf = (A: readonly (readonly Fit[])[]): Fit[][] =>
  A.map((row) => row.map((f) => ({ formula: f.formula, r2: f.r2 })));

/** Table rows [`name[i,j]` (1-based), formula, R² to 4 decimals], row by row. */
export const formulaRows = (name: string, A: readonly (readonly Fit[])[]): string[][] =>
  A.flatMap((row, i) => row.map((f, j) => [`${name}[${i + 1},${j + 1}]`, f.formula, f.r2.toFixed(4)]));
