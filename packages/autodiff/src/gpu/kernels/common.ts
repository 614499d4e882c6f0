// Pieces shared by the WGSL kernels.

/** Threads per workgroup of the 1-D kernels (elementwise, reductions). */
export const WORKGROUP_1D = 256;

/**
 * WGSL has no literals for NaN or infinities, and a constant expression may not produce them
 * (Tint rejects `bitcast<f32>(0x7fc00000u)`), so they are made at run time from a `var`.
 * Kernels that use `nan_()` or `neg_inf_()` include {@link WGSL_SPECIALS}.
 */
export const WGSL_SPECIALS = `
fn nan_() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
fn neg_inf_() -> f32 { var bits = 0xff800000u; return bitcast<f32>(bits); }
`;
export const WGSL_NAN = "nan_()";
export const WGSL_NEG_INF = "neg_inf_()";

/**
 * Splits `groups` workgroups over x and y so that neither exceeds the per-dimension limit
 * (65535 by default): 1M elements at 256 threads is 4096 groups, but 100M would not fit in x.
 * The shader rebuilds the flat index as `gid.x + gid.y * rowThreads`.
 */
export function foldDispatch(groups: number, maxPerDim: number): { x: number; y: number } {
  if (groups <= maxPerDim) return { x: Math.max(groups, 1), y: 1 };
  const y = Math.ceil(groups / maxPerDim);
  return { x: Math.ceil(groups / y), y };
}
