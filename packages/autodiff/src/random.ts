import { checkShape, sizeOf } from "./core/shape.js";
import type { DType } from "./core/tensor.js";
import { Tensor } from "./core/tensor.js";
import { AutodiffInputError } from "./errors.js";

/** A PRNG key. Immutable; derive new keys with `split` or `foldIn`. */
export interface Key {
  readonly k0: number;
  readonly k1: number;
}

const ROT = [13, 15, 26, 6, 17, 29, 16, 24];

/** Threefry-2x32-20 of counter (c0, c1) under key (k0, k1); writes two uint32 words into out. */
function threefry(k0: number, k1: number, c0: number, c1: number, out: Uint32Array, at: number): void {
  const ks = [k0 >>> 0, k1 >>> 0, (0x1bd11bda ^ k0 ^ k1) >>> 0];
  let x0 = (c0 + ks[0]) >>> 0;
  let x1 = (c1 + ks[1]) >>> 0;
  for (let r = 0; r < 20; r++) {
    x0 = (x0 + x1) >>> 0;
    const s = ROT[r % 8];
    x1 = ((x1 << s) | (x1 >>> (32 - s))) ^ x0;
    if (r % 4 === 3) {
      const j = (r + 1) / 4;
      x0 = (x0 + ks[j % 3]) >>> 0;
      x1 = (x1 + ks[(j + 1) % 3] + j) >>> 0;
    }
  }
  out[at] = x0 >>> 0;
  out[at + 1] = x1 >>> 0;
}

function checkKey(key: Key, field: string): void {
  if (!key || !Number.isInteger(key.k0) || !Number.isInteger(key.k1)) {
    throw new AutodiffInputError(field, "a Key from random.key or random.split", typeof key);
  }
}

/** A key from an integer seed (any safe integer; high and low 32 bits both used). */
export function key(seed: number): Key {
  if (!Number.isSafeInteger(seed)) throw new AutodiffInputError("random.key.seed", "a safe integer", seed);
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  const lo = seed >>> 0;
  return Object.freeze({ k0: hi, k1: lo });
}

/** `n` new independent keys derived from `k`. */
export function split(k: Key, n = 2): Key[] {
  checkKey(k, "random.split.key");
  if (!Number.isInteger(n) || n < 1) throw new AutodiffInputError("random.split.n", "an integer >= 1", n);
  const w = new Uint32Array(2);
  const out: Key[] = [];
  for (let i = 0; i < n; i++) {
    threefry(k.k0, k.k1, i, 0x9e3779b9, w, 0);
    out.push(Object.freeze({ k0: w[0], k1: w[1] }));
  }
  return out;
}

/**
 * Second counter word of `foldIn`, XORed with the data's high 21 bits: its top 11 bits (0x42f)
 * differ from those of the second word `split` (0x9e3779b9, top bits 0x4f1) and the draws (0)
 * use, so folded keys are Threefry outputs at counters no other derivation from the key reaches.
 */
const FOLD_DOMAIN = 0x85ebca6b;

/**
 * The key `k` with the integer `data` folded in (JAX's `fold_in`): a new key, the same for the
 * same `k` and `data`, distinct for distinct `data` (Threefry is a bijection of the counter
 * under a fixed key) and distinct from every key `split(k, n)` gives. Use it to derive per-step
 * or per-item keys from one seed key, e.g. `foldIn(key(seed), epoch)`, instead of arithmetic on
 * the seed (which collides and leaves the safe integers).
 *
 * @param k - the key to derive from.
 * @param data - a non-negative safe integer, 0 … 2⁵³ − 1 (all 53 bits are used).
 */
export function foldIn(k: Key, data: number): Key {
  checkKey(k, "random.foldIn.key");
  if (!Number.isSafeInteger(data) || data < 0) {
    throw new AutodiffInputError("random.foldIn.data", "an integer in [0, 2^53 − 1]", data);
  }
  const hi = Math.floor(data / 2 ** 32);
  const w = new Uint32Array(2);
  threefry(k.k0, k.k1, data >>> 0, (FOLD_DOMAIN ^ hi) >>> 0, w, 0);
  return Object.freeze({ k0: w[0], k1: w[1] });
}

/** `n` uniforms in the open interval (0, 1) with 53 random bits each. */
function uniform01(k: Key, n: number): Float64Array {
  const out = new Float64Array(n);
  const w = new Uint32Array(2);
  for (let i = 0; i < n; i++) {
    threefry(k.k0, k.k1, i, 0, w, 0);
    const hi = w[0] >>> 5; // 27 bits
    const lo = w[1] >>> 6; // 26 bits
    out[i] = (hi * 67108864 + lo + 0.5) / 9007199254740992;
  }
  return out;
}

function make(v: Float64Array, shape: number[], dtype: DType): Tensor {
  return Tensor._of(dtype === "float32" ? Float32Array.from(v) : v, shape);
}

/** Uniform on (minval, maxval). */
export function uniform(
  k: Key,
  shape: readonly number[],
  opts: { minval?: number; maxval?: number; dtype?: DType } = {},
): Tensor {
  checkKey(k, "random.uniform.key");
  const s = checkShape(shape, "random.uniform.shape");
  const lo = opts.minval ?? 0;
  const hi = opts.maxval ?? 1;
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new AutodiffInputError("random.uniform.maxval", `a finite number > minval (${lo})`, hi);
  }
  const u = uniform01(k, sizeOf(s));
  for (let i = 0; i < u.length; i++) u[i] = lo + (hi - lo) * u[i];
  return make(u, s, opts.dtype ?? "float64");
}

/** Standard normal (Box–Muller on pairs of uniforms), scaled by `std` and shifted by `mean`. */
export function normal(
  k: Key,
  shape: readonly number[],
  opts: { mean?: number; std?: number; dtype?: DType } = {},
): Tensor {
  checkKey(k, "random.normal.key");
  const s = checkShape(shape, "random.normal.shape");
  const n = sizeOf(s);
  const u = uniform01(k, 2 * Math.ceil(n / 2));
  const out = new Float64Array(n);
  const m = opts.mean ?? 0;
  const sd = opts.std ?? 1;
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u[i]));
    const t = 2 * Math.PI * u[i + 1];
    out[i] = m + sd * r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = m + sd * r * Math.sin(t);
  }
  return make(out, s, opts.dtype ?? "float64");
}

/** Standard Gumbel: −log(−log U). */
export function gumbel(k: Key, shape: readonly number[], opts: { dtype?: DType } = {}): Tensor {
  checkKey(k, "random.gumbel.key");
  const s = checkShape(shape, "random.gumbel.shape");
  const u = uniform01(k, sizeOf(s));
  for (let i = 0; i < u.length; i++) u[i] = -Math.log(-Math.log(u[i]));
  return make(u, s, opts.dtype ?? "float64");
}

/** Uniformly random permutation of 0..n−1 (Fisher–Yates). */
export function permutation(k: Key, n: number): Int32Array {
  checkKey(k, "random.permutation.key");
  if (!Number.isInteger(n) || n < 0)
    throw new AutodiffInputError("random.permutation.n", "a non-negative integer", n);
  const u = uniform01(k, n);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[i] * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
