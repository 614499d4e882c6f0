// The ops/linalg.ts entry points beyond their derivatives (linalg.test.ts): batched layouts
// against loops over the batch, Jacobi's formula over two batch dims, dtypes, the registry's
// names, and each input error in full (field, what is allowed, what was received, which entry).

import { refusal } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { values } from "../../test/values.js";
import { primitives } from "../core/registry.js";
import { AutodiffInputError } from "../errors.js";
import {
  cholesky,
  det,
  gather,
  grad,
  inverse,
  jacobian,
  jvpBatched,
  logdet,
  matmul,
  matmulT,
  scatterAdd,
  solve,
  sum,
  type Tensor,
  tensor,
  trace,
  vmap,
  zeros,
} from "../index.js";

/** Well-conditioned (diagonally dominant, symmetric positive-definite) matrices, batch [2, 3]. */
const spd = (batch: number[], n: number): Tensor => {
  const nb = batch.reduce((a, b) => a * b, 1);
  const d: number[] = [];
  for (let b = 0; b < nb; b++)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d.push(i === j ? n + 1 + b : 1 / (1 + i + j + b));
  return tensor(d, [...batch, n, n]);
};
const entry = (x: Tensor, b: number): Tensor => {
  const n = x.shape[x.ndim - 1];
  return tensor(values(x).slice(b * n * n, (b + 1) * n * n), [n, n]);
};

/** The thrown AutodiffInputError as "field | allowed | received | message". */
const inputError = (f: () => unknown): string => {
  const e = refusal(f, AutodiffInputError);
  return `${e.field} | ${e.allowed} | ${JSON.stringify(e.received)} | ${e.message}`;
};

describe("batched linear algebra against a loop over the batch", () => {
  const X = spd([2, 3], 3);
  it("det, logdet, inverse, cholesky and trace over two batch dims", () => {
    expect([...det(X).shape]).toEqual([2, 3]);
    expect([...trace(X).shape]).toEqual([2, 3]);
    for (let b = 0; b < 6; b++) {
      const A = entry(X, b);
      expect(values(det(X))[b]).toBe(values(det(A))[0]);
      expect(values(logdet(X))[b]).toBe(values(logdet(A))[0]);
      expect(values(inverse(X)).slice(b * 9, b * 9 + 9)).toEqual(values(inverse(A)));
      expect(values(cholesky(X)).slice(b * 9, b * 9 + 9)).toEqual(values(cholesky(A)));
      const a = values(A);
      expect(values(trace(X))[b]).toBe(a[0] + a[4] + a[8]);
    }
  });

  it("Jacobi's formula over two batch dims: ∂ log|det A|/∂A = A⁻ᵀ and ∂ det A/∂A = det A · A⁻ᵀ", () => {
    const g = grad((x: Tensor) => sum(logdet(x)))(X);
    const gd = grad((x: Tensor) => sum(det(x)))(X);
    expect([...g.shape]).toEqual([2, 3, 3, 3]);
    const inv = values(inverse(X));
    const d = values(det(X));
    for (let b = 0; b < 6; b++)
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          const want = inv[b * 9 + j * 3 + i];
          expect(Math.abs(values(g)[b * 9 + i * 3 + j] - want)).toBeLessThan(1e-14);
          expect(Math.abs(values(gd)[b * 9 + i * 3 + j] - d[b] * want)).toBeLessThan(1e-12 * Math.abs(d[b]));
        }
  });

  it("solve with a vector per matrix over a batch, and A·X = B with broadcast batch dims", () => {
    const A = spd([2], 3);
    const bv = tensor([1, 2, 3, -1, 0, 2], [2, 3]);
    const x = solve(A, bv);
    expect([...x.shape]).toEqual([2, 3]);
    for (let b = 0; b < 2; b++) {
      const r = values(matmul(entry(A, b), tensor(values(x).slice(b * 3, b * 3 + 3))));
      r.forEach((v, i) => {
        expect(Math.abs(v - values(bv)[b * 3 + i])).toBeLessThan(1e-14);
      });
    }
    const B = tensor([1, 0, 0, 1, 2, 1], [3, 2]);
    const Xs = solve(spd([2, 1], 3), B);
    expect([...Xs.shape]).toEqual([2, 1, 3, 2]);
  });

  it("vmap of cholesky and inverse equals the loop", () => {
    const A = spd([3], 2);
    const loop = (f: (m: Tensor) => Tensor) => [0, 1, 2].flatMap((b) => values(f(entry(A, b))));
    expect(values(vmap(cholesky)(A))).toEqual(loop(cholesky));
    expect(values(vmap(inverse)(A))).toEqual(loop(inverse));
  });

  it("float32 only when both operands of solve are float32", () => {
    const A32 = tensor([2, 1, 1, 3], [2, 2], "float32");
    const b32 = tensor([1, 2], undefined, "float32");
    expect(solve(A32, b32).dtype).toBe("float32");
    expect(solve(A32, tensor([1, 2])).dtype).toBe("float64");
    expect(solve(tensor([2, 1, 1, 3], [2, 2]), b32).dtype).toBe("float64");
  });
});

describe("forward derivatives of gather and scatterAdd with batched tangents (jacobian)", () => {
  it("the Jacobian of gather along axis 1 is the selection matrix; of scatterAdd its transpose", () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const idx = [2, 0];
    const J = values(jacobian((v: Tensor) => gather(v, idx, 1))(x));
    // output (i, k) reads input (i, idx[k])
    const want: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let k = 0; k < 2; k++)
        for (let r = 0; r < 2; r++) for (let c = 0; c < 3; c++) want.push(r === i && c === idx[k] ? 1 : 0);
    expect(J).toEqual(want);
    const y = tensor([1, 2, 3, 4], [2, 2]);
    const JS = values(jacobian((v: Tensor) => scatterAdd(v, idx, 1, 3))(y));
    const wantS: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let c = 0; c < 3; c++)
        for (let r = 0; r < 2; r++) for (let k = 0; k < 2; k++) wantS.push(r === i && c === idx[k] ? 1 : 0);
    expect(JS).toEqual(wantS);
  });

  it("with tangents carrying a leading batch dim (jvpBatched), gather and scatterAdd act on the axis after it", () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const T = tensor(
      Array.from({ length: 24 }, (_, i) => i * i - 3),
      [4, 2, 3],
    );
    const idx = [2, 0];
    const [, t] = jvpBatched((v: Tensor) => gather(v, idx, 1), [x], [T], 1);
    expect(values(t as Tensor)).toEqual(values(gather(T, idx, 2)));
    const y = tensor([1, 2, 3, 4], [2, 2]);
    const U = gather(T, [0, 1], 2);
    const [, u] = jvpBatched((v: Tensor) => scatterAdd(v, idx, 1, 3), [y], [U], 1);
    expect(values(u as Tensor)).toEqual(values(scatterAdd(U, idx, 2, 3)));
  });

  it("scatterAdd onto an empty axis is allowed", () => {
    expect([...scatterAdd(zeros([2, 0]), [], 1, 0).shape]).toEqual([2, 0]);
  });
});

describe("registry names of the linear-algebra primitives", () => {
  it("logdet, solve, inverse, cholesky and matmul are registered under their names", () => {
    const reg = primitives();
    const A = tensor([4, 2, 2, 3], [2, 2]);
    const impl = (name: string) =>
      (reg.get(name) as unknown as { impl: (xs: Tensor[], p: unknown) => Tensor }).impl;
    expect(values(impl("logdet")([A], { wantDet: true }))).toEqual(values(det(A)));
    expect(values(impl("solve")([A, tensor([1, 0], [2, 1])], null))).toEqual(
      values(solve(A, tensor([1, 0]))),
    );
    expect(values(impl("inverse")([A], null))).toEqual(values(inverse(A)));
    expect(values(impl("cholesky")([A], null))).toEqual(values(cholesky(A)));
    expect(values(impl("matmul")([A, A], { ta: false, tb: false }))).toEqual(values(matmul(A, A)));
  });
});

describe("input errors in full", () => {
  const sq = "a batch of square n×n matrices";
  const mat = "a Tensor of shape […, m, n] with m, n >= 1";
  it("non-square and empty matrices", () => {
    expect(inputError(() => det(zeros([2, 3])))).toBe(
      `det.x | ${sq} | [2,3] | det.x: expected ${sq}, got [2,3]`,
    );
    expect(inputError(() => logdet(zeros([0, 0])))).toBe(
      `logdet.x | ${mat} | [0,0] | logdet.x: expected ${mat}, got [0,0]`,
    );
    expect(inputError(() => inverse(zeros([2, 17])))).toMatch(/^inverse\.x \| /);
    expect(inputError(() => cholesky(zeros([3])))).toMatch(/^cholesky\.x \| /);
    expect(inputError(() => trace(zeros([2, 3])))).toMatch(/^trace\.x \| /);
    expect(inputError(() => solve(zeros([2, 3]), zeros([2])))).toMatch(/^solve\.a \| /);
  });

  it("singular and indefinite matrices name the batch entry", () => {
    const S = tensor([1, 0, 0, 1, 1, 2, 2, 4], [2, 2, 2]);
    expect(inputError(() => solve(S, tensor([1, 1], [1, 2, 1])))).toBe(
      'solve.a | non-singular matrices | "a singular matrix" | solve.a: expected non-singular matrices, got a singular matrix (batch entry 1)',
    );
    expect(inputError(() => inverse(S))).toBe(
      'inverse.x | non-singular matrices | "a singular matrix" | inverse.x: expected non-singular matrices, got a singular matrix (batch entry 1)',
    );
    expect(inputError(() => cholesky(tensor([1, 0, 0, 1, 1, 2, 2, 1], [2, 2, 2])))).toBe(
      'cholesky.x | symmetric positive-definite matrices | "a non-positive-definite matrix" | cholesky.x: expected symmetric positive-definite matrices, got a non-positive-definite matrix (batch entry 1)',
    );
  });

  it("a right-hand side of the wrong shape", () => {
    const A = tensor([2, 1, 1, 3], [2, 2]);
    expect(inputError(() => solve(A, zeros([3])))).toBe(
      "solve.b | shape […, 2, m] or […, 2] | [3] | solve.b: expected shape […, 2, m] or […, 2], got [3]",
    );
    expect(inputError(() => solve(A, zeros([3, 1])))).toMatch(
      /^solve\.b \| shape \[…, 2, m\] or \[…, 2\] \| \[3,1\]/,
    );
  });

  it("matmul's operand errors", () => {
    const a = zeros([2, 3]);
    expect(inputError(() => matmul(a, zeros([4, 2])))).toBe(
      "matmul.b | an inner dim of 3 | [4,2] | matmul.b: expected an inner dim of 3, got [4,2] (a has shape [2,3])",
    );
    expect(inputError(() => matmul(3 as never, a))).toBe(
      'matmul | two Tensors | "number" | matmul: expected two Tensors, got number',
    );
    expect(inputError(() => matmul(a, tensor(1)))).toBe(
      "matmul | operands with ndim >= 1 | [2,0] | matmul: expected operands with ndim >= 1, got [2,0]",
    );
    expect(inputError(() => matmulT(a, zeros([3])))).toBe(
      "matmulT | operands with ndim >= 2 | [2,1] | matmulT: expected operands with ndim >= 2, got [2,1]",
    );
  });
});
