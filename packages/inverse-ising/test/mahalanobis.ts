// d·M⁻¹·d for a 2 × 2 covariance M (NaN when it is missing): the χ² contribution of one fit.
export function mahalanobis2(M: number[][] | undefined, d: [number, number]): number {
  if (!M) return Number.NaN;
  const det = M[0][0] * M[1][1] - M[0][1] * M[1][0];
  return (M[1][1] * d[0] ** 2 - 2 * M[0][1] * d[0] * d[1] + M[0][0] * d[1] ** 2) / det;
}
