import { random, slice, type Tensor, tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { CENTRE_OF_MASS_MAP } from "./frame.js";
import { mechanicalEnergy, type ScnnParams, scnnModel } from "./models.js";
import { twoBodyInitialStates } from "./two-body-data.js";

describe("the mechanical H_θ", () => {
  it("mechanicalEnergy is ½ Pᵀ C Cᵀ P + V with C = I + the lower triangle of its outputs, against the matrices written out, to 1e-12", () => {
    const B = 5;
    const n = 4;
    const out = random.normal(random.key(1), [B, 11]);
    const P = random.normal(random.key(2), [B, n]);
    const K = mechanicalEnergy(out, P).toFloat64Array();
    const o = out.toFloat64Array();
    const p = P.toFloat64Array();
    for (let b = 0; b < B; b++) {
      // C row by row from the lower triangle, plus the identity
      const C = Array.from({ length: n }, (_, i) =>
        Array.from(
          { length: n },
          (_, k) => (k <= i ? o[b * 11 + (i * (i + 1)) / 2 + k] : 0) + (i === k ? 1 : 0),
        ),
      );
      let quadratic = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let M = 0;
          for (let k = 0; k < n; k++) M += C[i][k] * C[j][k];
          quadratic += p[b * n + i] * M * p[b * n + j];
        }
      expect(Math.abs(K[b] - (0.5 * quadratic + o[b * 11 + 10]))).toBeLessThan(1e-12);
    }
    expect(() => mechanicalEnergy(slice(out, [0, 0], [B, 10]), P)).toThrow(/out/);
  });

  // the two-body SCNN with the point T from the polar start, T fed the relative motion
  const options = {
    dim: 8,
    hidden: [6],
    poissonWeight: 1,
    seed: 3,
    transform: "point" as const,
    pointStart: "polar" as const,
    cyclic: 3,
    cyclicQ: "gradients" as const,
    inputMap: CENTRE_OF_MASS_MAP,
    fixedPairs: 2,
  };
  const B = 7;
  const x = twoBodyInitialStates(B, 5, { offset: 0.5, velocity: 0.3 });
  // the same positions with the bodies' momenta times λ
  const scaled = (lambda: number): Tensor =>
    tensor(
      x.map((v, i) => (i % 8 >= 4 ? lambda * v : v)),
      [B, 8],
    );
  const kinetic = (K: (s: Tensor) => Float64Array, lambda: number) => {
    const rest = K(scaled(0));
    const moving = K(scaled(lambda));
    return Array.from(moving, (v, i) => v - rest[i]);
  };

  it("with the point T, K(q, λp) − K(q, 0) = λ²(K(q, p) − K(q, 0)) to 1e-10 and K(q, p) ≥ K(q, 0); the general H_θ is not quadratic", () => {
    const m = scnnModel({ ...options, hamiltonian: "mechanical" });
    const p = m.init();
    const K = (s: Tensor) => m.hamiltonian(p, s).toFloat64Array();
    const one = kinetic(K, 1);
    for (const lambda of [2, -1.5]) {
      const other = kinetic(K, lambda);
      one.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(Math.abs(other[i] - lambda ** 2 * v)).toBeLessThan(1e-10 * (1 + Math.abs(other[i])));
      });
    }
    const g = scnnModel(options);
    const gp = g.init();
    const Kg = (s: Tensor) => g.hamiltonian(gp, s).toFloat64Array();
    const gOne = kinetic(Kg, 1);
    const gTwo = kinetic(Kg, 2);
    expect(Math.max(...gTwo.map((v, i) => Math.abs(v - 4 * gOne[i])))).toBeGreaterThan(1e-4);
  });

  it("starts near the free motion: with its network's last layer zeroed, K = ½|P|² of T's momenta, to 1e-12", () => {
    const m = scnnModel({ ...options, hamiltonian: "mechanical" });
    const init = m.init();
    const last = init.H[init.H.length - 1];
    const p: ScnnParams = { ...init, H: [...init.H.slice(0, -1), { w: last.w.mul(0), b: last.b.mul(0) }] };
    const s = tensor(x, [B, 8]);
    const K = m.hamiltonian(p, s).toFloat64Array();
    const z = m.transform(p, s).toFloat64Array();
    for (let b = 0; b < B; b++) {
      let half = 0;
      for (let i = 4; i < 8; i++) half += 0.5 * z[8 * b + i] ** 2;
      expect(Math.abs(K[b] - half)).toBeLessThan(1e-12);
    }
  });

  it("is refused with every coordinate cyclic (a free motion), and an unknown form is refused by name", () => {
    expect(() =>
      scnnModel({
        ...options,
        transform: "general",
        pointStart: "identity",
        cyclic: 4,
        hamiltonian: "mechanical",
      }),
    ).toThrow(/cyclic/);
    expect(() => scnnModel({ ...options, hamiltonian: "quadratic" as "mechanical" })).toThrow(/hamiltonian/);
  });
});
