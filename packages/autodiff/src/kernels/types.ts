// Types the kernels share, in a file that imports nothing, so a kernel and the lower-level
// (WebAssembly) kernel it hands work to can both name them without importing each other.

/** A tensor's flat storage as the kernels read and write it. */
export type Data = Float64Array | Float32Array;

/** Geometry of one convolution: x [N, Ci, H, W] → y [N, Co, H, W], kernel [Co, Ci, kh, kw]. */
export interface ConvGeom {
  N: number;
  Ci: number;
  Co: number;
  H: number;
  W: number;
  kh: number;
  kw: number;
  /** Active taps as a·kw + b (ascending); the weights at the other taps are treated as zero. */
  taps: Int32Array;
  /** Periodic boundaries (else zero padding). */
  circular: boolean;
}

/** A factor of a multiply-sum (mul-sum.ts): "F" full [R, C], "S" one row [C] for every r, "K" one number. */
export type FactorKind = "F" | "S" | "K";
