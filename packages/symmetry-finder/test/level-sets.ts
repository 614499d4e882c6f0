// Points placed directly on level sets of the test potentials (not by the rejection sampler), so
// the generator tests are fast and independent of the data module.
import { random } from "@physml/autodiff";

/** m points uniform on the sphere of radius r in Rⁿ, with relative radial jitter `jitter`. */
export function sphere(n: number, m: number, r: number, seed: number, jitter = 1e-3): Float64Array {
  const g = random.normal(random.key(seed), [m, n]).toFloat64Array();
  const u = random.uniform(random.key(seed + 1), [m], { minval: -1, maxval: 1 }).toFloat64Array();
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let d = 0; d < n; d++) s += g[i * n + d] ** 2;
    const f = (r * (1 + jitter * u[i])) / Math.sqrt(s);
    for (let d = 0; d < n; d++) g[i * n + d] *= f;
  }
  return g;
}

/** Points on u² + 2v² = c in R⁴ (u = x₁² + x₂², v = x₃² + x₄²), random phases in both planes. */
export function so2xso2Level(c: number, m: number, seed: number): Float64Array {
  const t = random.uniform(random.key(seed), [m, 3]).toFloat64Array();
  const out = new Float64Array(4 * m);
  for (let i = 0; i < m; i++) {
    const psi = (t[3 * i] * Math.PI) / 2;
    const r1 = Math.sqrt(Math.sqrt(c) * Math.cos(psi));
    const r2 = Math.sqrt(Math.sqrt(c / 2) * Math.sin(psi));
    const [a, b] = [2 * Math.PI * t[3 * i + 1], 2 * Math.PI * t[3 * i + 2]];
    out.set([r1 * Math.cos(a), r1 * Math.sin(a), r2 * Math.cos(b), r2 * Math.sin(b)], 4 * i);
  }
  return out;
}

/** Points on r₃² + x₄⁴ + x₄ = c in R⁴ (x₄ uniform where r₃² ≥ 0, direction uniform on S²). */
export function so3in4Level(c: number, m: number, seed: number): Float64Array {
  const dirs = sphere(3, m, 1, seed, 0);
  const t = random.uniform(random.key(seed + 7), [m]).toFloat64Array();
  // x⁴ + x ≤ c on an interval [lo, hi]; find it by bisection on a grid
  let lo = 0;
  let hi = 0;
  for (let x = -3; x <= 3; x += 1e-4) {
    if (x ** 4 + x <= c) {
      if (lo === 0 && hi === 0) lo = x;
      hi = x;
    }
  }
  const out = new Float64Array(4 * m);
  for (let i = 0; i < m; i++) {
    const x4 = lo + (hi - lo) * t[i];
    const r = Math.sqrt(Math.max(0, c - x4 ** 4 - x4));
    out.set([r * dirs[3 * i], r * dirs[3 * i + 1], r * dirs[3 * i + 2], x4], 4 * i);
  }
  return out;
}

/** Points on x⁴ + y⁴ = c. */
export function quarticLevel(c: number, m: number, seed: number): Float64Array {
  const t = random.uniform(random.key(seed), [m]).toFloat64Array();
  const out = new Float64Array(2 * m);
  for (let i = 0; i < m; i++) {
    const a = 2 * Math.PI * t[i];
    const [x, y] = [Math.cos(a), Math.sin(a)];
    const s = (c / (x ** 4 + y ** 4)) ** 0.25;
    out.set([s * x, s * y], 2 * i);
  }
  return out;
}
