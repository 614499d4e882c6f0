// Fourier pseudo-spectral tools on a periodic grid x_j = j·ℓ/N, on top of fft.js (radix-4, N a
// power of two). Complex arrays are interleaved (re, im) of length 2N.
import { PhysmlInputError } from "@physml/lattice-core";
import FFT from "fft.js";

/** A periodic grid of N points (a power of two ≥ 4) on [0, length). */
export class PeriodicGrid {
  readonly n: number;
  readonly length: number;
  readonly dx: number;
  /** Wavenumbers k_j in FFT order (the Nyquist mode gets 0 so odd derivatives stay real). */
  readonly k: Float64Array;
  private readonly fft: FFT;
  private readonly cIn: Float64Array;
  private readonly cOut: Float64Array;

  constructor(n: number, length: number) {
    if (!Number.isInteger(n) || n < 4 || (n & (n - 1)) !== 0)
      throw new PhysmlInputError("grid.n", "a power of two >= 4", n);
    if (!(length > 0) || !Number.isFinite(length))
      throw new PhysmlInputError("grid.length", "a finite number > 0", length);
    this.n = n;
    this.length = length;
    this.dx = length / n;
    this.k = new Float64Array(n);
    for (let j = 0; j < n; j++) this.k[j] = j < n / 2 ? j : j === n / 2 ? 0 : j - n;
    for (let j = 0; j < n; j++) this.k[j] *= (2 * Math.PI) / length;
    this.fft = new FFT(n);
    this.cIn = new Float64Array(2 * n);
    this.cOut = new Float64Array(2 * n);
  }

  /** The grid points x_j = j·dx. */
  points(): Float64Array {
    return Float64Array.from({ length: this.n }, (_, j) => j * this.dx);
  }

  /** Forward transform of a real field (full complex spectrum, interleaved). */
  forward(u: ArrayLike<number>, out: Float64Array = new Float64Array(2 * this.n)): Float64Array {
    for (let j = 0; j < this.n; j++) {
      this.cIn[2 * j] = u[j];
      this.cIn[2 * j + 1] = 0;
    }
    this.fft.transform(out, this.cIn);
    return out;
  }

  /** Inverse transform, keeping the real part. */
  inverseReal(spec: Float64Array, out: Float64Array = new Float64Array(this.n)): Float64Array {
    this.fft.inverseTransform(this.cOut, spec);
    for (let j = 0; j < this.n; j++) out[j] = this.cOut[2 * j];
    return out;
  }

  /** ∂ₓᵐ u by multiplying the spectrum with (ik)ᵐ. */
  derivative(
    u: ArrayLike<number>,
    order: number,
    out: Float64Array = new Float64Array(this.n),
  ): Float64Array {
    const s = this.forward(u);
    this.multiplyIkPow(s, order);
    return this.inverseReal(s, out);
  }

  /** Multiplies a spectrum in place by (ik)ᵐ. */
  multiplyIkPow(s: Float64Array, order: number): void {
    // (i)^m cycles 1, i, −1, −i
    const m = ((order % 4) + 4) % 4;
    for (let j = 0; j < this.n; j++) {
      const km = this.k[j] ** order;
      const re = s[2 * j] * km;
      const im = s[2 * j + 1] * km;
      if (m === 0) [s[2 * j], s[2 * j + 1]] = [re, im];
      else if (m === 1) [s[2 * j], s[2 * j + 1]] = [-im, re];
      else if (m === 2) [s[2 * j], s[2 * j + 1]] = [-re, -im];
      else [s[2 * j], s[2 * j + 1]] = [im, -re];
    }
  }

  /** ∫ f dx over the period (spectrally exact for band-limited f). */
  integral(f: ArrayLike<number>): number {
    let s = 0;
    for (let j = 0; j < this.n; j++) s += f[j];
    return s * this.dx;
  }
}
