// KdV φ_t + φ_xxx + 6φφ_x = 0 on a periodic grid: Fourier in space, ETDRK4 in time (Cox–Matthews
// with the contour-integral coefficients of Kassam & Trefethen 2005). In Fourier space
// φ̂_t = i k³ φ̂ − 3ik (φ²)^, so the stiff linear part is integrated exactly.
import { PhysmlInputError } from "@physml/lattice-core";
import type { PeriodicGrid } from "./spectral.js";

/** Points on the contour used for the ETDRK4 coefficients. */
const CONTOUR_POINTS = 32;

/** Complex scalar helpers on [re, im] pairs. */
type C = [number, number];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cexp = (a: C): C => {
  const e = Math.exp(a[0]);
  return [e * Math.cos(a[1]), e * Math.sin(a[1])];
};
const cdiv = (a: C, b: C): C => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};

/** A KdV time stepper with step h on `grid`; the state is the real field φ. */
export class KdvEtdrk4 {
  readonly grid: PeriodicGrid;
  readonly h: number;
  private readonly E: Float64Array;
  private readonly E2: Float64Array;
  private readonly Q: Float64Array;
  private readonly f1: Float64Array;
  private readonly f2: Float64Array;
  private readonly f3: Float64Array;

  constructor(grid: PeriodicGrid, h: number) {
    if (!(h > 0) || !Number.isFinite(h)) throw new PhysmlInputError("h", "a finite number > 0", h);
    this.grid = grid;
    this.h = h;
    const n = grid.n;
    const arr = () => new Float64Array(2 * n);
    [this.E, this.E2, this.Q, this.f1, this.f2, this.f3] = [arr(), arr(), arr(), arr(), arr(), arr()];
    for (let j = 0; j < n; j++) {
      const Lh: C = [0, h * grid.k[j] ** 3];
      const set = (a: Float64Array, v: C) => {
        a[2 * j] = v[0];
        a[2 * j + 1] = v[1];
      };
      set(this.E, cexp(Lh));
      set(this.E2, cexp([Lh[0] / 2, Lh[1] / 2]));
      // mean over the full circle hL + e^{2πi(m − ½)/M}: L is imaginary, so no conjugate symmetry
      const acc = { q: [0, 0] as C, a: [0, 0] as C, b: [0, 0] as C, c: [0, 0] as C };
      for (let m = 1; m <= CONTOUR_POINTS; m++) {
        const th = (2 * Math.PI * (m - 0.5)) / CONTOUR_POINTS;
        const z: C = [Lh[0] + Math.cos(th), Lh[1] + Math.sin(th)];
        const ez = cexp(z);
        const ez2 = cexp([z[0] / 2, z[1] / 2]);
        const z2 = cmul(z, z);
        const z3 = cmul(z2, z);
        const q = cdiv([ez2[0] - 1, ez2[1]], z);
        // f1 = (−4 − z + e^z(4 − 3z + z²))/z³, f2 = (2 + z + e^z(−2 + z))/z³, f3 = (−4 − 3z − z² + e^z(4 − z))/z³
        const t1 = cmul(ez, [4 - 3 * z[0] + z2[0], -3 * z[1] + z2[1]]);
        const a = cdiv([-4 - z[0] + t1[0], -z[1] + t1[1]], z3);
        const t2 = cmul(ez, [-2 + z[0], z[1]]);
        const b = cdiv([2 + z[0] + t2[0], z[1] + t2[1]], z3);
        const t3 = cmul(ez, [4 - z[0], -z[1]]);
        const c = cdiv([-4 - 3 * z[0] - z2[0] + t3[0], -3 * z[1] - z2[1] + t3[1]], z3);
        for (const [key, v] of [
          ["q", q],
          ["a", a],
          ["b", b],
          ["c", c],
        ] as const) {
          acc[key][0] += v[0] / CONTOUR_POINTS;
          acc[key][1] += v[1] / CONTOUR_POINTS;
        }
      }
      set(this.Q, [h * acc.q[0], h * acc.q[1]]);
      set(this.f1, [h * acc.a[0], h * acc.a[1]]);
      set(this.f2, [h * acc.b[0], h * acc.b[1]]);
      set(this.f3, [h * acc.c[0], h * acc.c[1]]);
    }
  }

  /** N(v̂) = −3ik (φ²)^ for a spectrum v̂. */
  private nonlinear(v: Float64Array, out: Float64Array): void {
    const g = this.grid;
    const u = g.inverseReal(v);
    for (let j = 0; j < g.n; j++) u[j] *= u[j];
    g.forward(u, out);
    for (let j = 0; j < g.n; j++) {
      const s = -3 * g.k[j];
      const [re, im] = [out[2 * j], out[2 * j + 1]];
      out[2 * j] = -s * im;
      out[2 * j + 1] = s * re;
    }
  }

  /** Advances φ (in place) by `steps` steps. */
  advance(phi: Float64Array, steps: number): void {
    const g = this.grid;
    const n2 = 2 * g.n;
    const v = g.forward(phi);
    const [Nv, Na, Nb, Nc, a, b, c] = Array.from({ length: 7 }, () => new Float64Array(n2));
    const { E, E2, Q, f1, f2, f3 } = this;
    // out = P·x + R·y for complex arrays, elementwise
    const lin = (out: Float64Array, P: Float64Array, x: Float64Array, R: Float64Array, y: Float64Array) => {
      for (let j = 0; j < n2; j += 2) {
        const re = P[j] * x[j] - P[j + 1] * x[j + 1] + R[j] * y[j] - R[j + 1] * y[j + 1];
        const im = P[j] * x[j + 1] + P[j + 1] * x[j] + R[j] * y[j + 1] + R[j + 1] * y[j];
        out[j] = re;
        out[j + 1] = im;
      }
    };
    const tmp = new Float64Array(n2);
    const next = new Float64Array(n2);
    for (let s = 0; s < steps; s++) {
      this.nonlinear(v, Nv);
      lin(a, E2, v, Q, Nv);
      this.nonlinear(a, Na);
      lin(b, E2, v, Q, Na);
      this.nonlinear(b, Nb);
      for (let j = 0; j < n2; j++) tmp[j] = 2 * Nb[j] - Nv[j];
      lin(c, E2, a, Q, tmp);
      this.nonlinear(c, Nc);
      // v ← E v + f1 Nv + 2 f2 (Na + Nb) + f3 Nc
      for (let j = 0; j < n2; j++) tmp[j] = 2 * (Na[j] + Nb[j]);
      lin(next, E, v, f1, Nv);
      lin(a, f2, tmp, f3, Nc);
      for (let j = 0; j < n2; j++) v[j] = next[j] + a[j];
    }
    g.inverseReal(v, phi);
  }
}

/** The one-soliton φ = (c/2) sech²(√c (x − ct − x₀)/2), wrapped onto the period. */
export function kdvSoliton(grid: PeriodicGrid, c: number, x0: number, t: number): Float64Array {
  if (!(c > 0)) throw new PhysmlInputError("c", "a speed > 0", c);
  const x = grid.points();
  const L = grid.length;
  return x.map((xi) => {
    let s = 0;
    // sum the periodic images that matter (the tails decay like e^{−√c |x|})
    for (let m = -2; m <= 2; m++)
      s += (0.5 * c) / Math.cosh((Math.sqrt(c) * (xi - c * t - x0 + m * L)) / 2) ** 2;
    return s;
  });
}

/** The first three KdV invariants: ∫φ, ∫φ², ∫(φ³ − φ_x²/2). */
export function kdvInvariants(grid: PeriodicGrid, phi: Float64Array): [number, number, number] {
  const px = grid.derivative(phi, 1);
  return [
    grid.integral(phi),
    grid.integral(phi.map((v) => v * v)),
    grid.integral(phi.map((v, j) => v ** 3 - 0.5 * px[j] ** 2)),
  ];
}
