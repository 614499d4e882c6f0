// Autocovariance through radix-2 FFTs, so that windowing stays O(n log n) for long series with
// long autocorrelation times (a direct sum would be O(n·W)).

/** A radix-2 complex FFT of one size with precomputed twiddles and bit reversal. */
class Fft {
  readonly size: number;
  readonly #cos: Float64Array;
  readonly #sin: Float64Array;
  readonly #rev: Uint32Array;

  constructor(size: number) {
    this.size = size;
    this.#cos = Float64Array.from({ length: size / 2 }, (_, k) => Math.cos((2 * Math.PI * k) / size));
    this.#sin = Float64Array.from({ length: size / 2 }, (_, k) => -Math.sin((2 * Math.PI * k) / size));
    this.#rev = new Uint32Array(size);
    for (let i = 1, j = 0; i < size; i++) {
      let bit = size >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j ^= bit;
      this.#rev[i] = j;
    }
  }

  /** In-place forward (e^{−2πi…}) or unnormalised inverse transform. */
  transform(re: Float64Array, im: Float64Array, inverse: boolean): void {
    const n = this.size;
    const rev = this.#rev;
    for (let i = 1; i < n; i++) {
      const j = rev[i];
      if (i < j) {
        let t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    const sign = inverse ? -1 : 1;
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >> 1;
      const step = n / len;
      for (let start = 0; start < n; start += len) {
        for (let k = 0; k < half; k++) {
          const wr = this.#cos[k * step];
          const wi = sign * this.#sin[k * step];
          const a = start + k;
          const b = a + half;
          const xr = re[b] * wr - im[b] * wi;
          const xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}

/**
 * Unnormalised autocovariance sums `c[t] = Σ_{s=0}^{n-1-t} (d_s − mean)(d_{s+t} − mean)` for
 * t = 0..maxLag (the series is centred segment by segment, never copied whole). Overlap-add over segments of S ≥ 4·maxLag samples (a series of at
 * most 2^15 samples is one segment): each segment a
 * is cross-correlated with b = itself plus the next maxLag samples, through one complex FFT of
 * a + i·b of size ≥ S + maxLag, so memory stays O(S) however long the series is.
 */
export function autocovarianceSums(d: ArrayLike<number>, maxLag: number, mean = 0): Float64Array {
  const n = d.length;
  const out = new Float64Array(maxLag + 1);
  // Segments of at least 2^15 samples amortise the FFT over long series; a shorter series is one
  // segment of its own length (not padded: a chain of 2000 samples costs a 4096-point FFT).
  const seg = n <= 1 << 15 ? n : Math.max(4 * maxLag, 1 << 15);
  let size = 2;
  while (size < seg + maxLag) size <<= 1;
  const fft = new Fft(size);
  const zr = new Float64Array(size);
  const zi = new Float64Array(size);
  const pr = new Float64Array(size);
  const pi = new Float64Array(size);
  for (let s0 = 0; s0 < n; s0 += seg) {
    zr.fill(0);
    zi.fill(0);
    const aEnd = Math.min(n, s0 + seg);
    const bEnd = Math.min(n, s0 + seg + maxLag);
    for (let i = s0; i < aEnd; i++) zr[i - s0] = d[i] - mean;
    for (let i = s0; i < bEnd; i++) zi[i - s0] = d[i] - mean;
    fft.transform(zr, zi, false);
    // Z = A + iB with a, b real: A_k = (Z_k + conj Z_{−k})/2, B_k = (Z_k − conj Z_{−k})/(2i).
    // Cross-correlation Σ_i a_i b_{i+t} is the inverse transform of conj(A_k)·B_k.
    for (let k = 0; k < size; k++) {
      const m = (size - k) & (size - 1);
      const ar = (zr[k] + zr[m]) / 2;
      const ai = (zi[k] - zi[m]) / 2;
      const br = (zi[k] + zi[m]) / 2;
      const bi = -(zr[k] - zr[m]) / 2;
      pr[k] = ar * br + ai * bi;
      pi[k] = ar * bi - ai * br;
    }
    fft.transform(pr, pi, true);
    for (let t = 0; t <= maxLag; t++) out[t] += pr[t] / size;
  }
  return out;
}
