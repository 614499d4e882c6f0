// The known Lax connections of sine-Gordon and of the Heisenberg ferromagnet, as batched maps of
// the features of src/fields/sine-gordon-samples.ts and src/fields/heisenberg-samples.ts. Both
// are real, so the real learner can represent them exactly (derivations in the README).
import { add, concat, mul, reshape, slice, sub, type Tensor } from "@physml/autodiff";
import type { ConnectionFns } from "./zero-curvature.js";

const col = (f: Tensor, k: number) => slice(f, [0, k], [f.shape[0], k + 1]);
const constant = (f: Tensor, v: number) => add(mul(col(f, 0), 0), v);
/** An n×n matrix per row of f from its n² entries ([B, 1] each), row-major. */
const matrix = (f: Tensor, n: number, entries: Tensor[]) => reshape(concat(entries, 1), [f.shape[0], n, n]);

/**
 * Sine-Gordon φ_tt − φ_xx + sin φ = 0 on the features (φ_x, φ_t, sin φ, cos φ), with k ≠ 0 the
 * spectral parameter. From the light-cone pair A_u = (k/4)σ₃ − (φ_u/2)J,
 * A_v = (cos φ σ₃ + sin φ σ₁)/(4k) (u = x + t, v = x − t, J = iσ₂ = [[0, 1], [−1, 0]]),
 * A_x = A_u + A_v and A_t = A_u − A_v:
 * A_x = (k/4)σ₃ + (cos φ σ₃ + sin φ σ₁)/(4k) − ((φ_x + φ_t)/4)J,
 * A_t = (k/4)σ₃ − (cos φ σ₃ + sin φ σ₁)/(4k) − ((φ_x + φ_t)/4)J.
 * Its curvature is −¼(φ_tt − φ_xx + sin φ)J. `perturb` adds ε·sin φ·σ₃ to A_t (a wrong pair).
 */
export function sineGordonConnection(k: number, perturb = 0): ConnectionFns {
  const parts = (f: Tensor) => {
    const P = mul(add(col(f, 0), col(f, 1)), 0.25);
    return { P, s: mul(col(f, 2), 1 / (4 * k)), c: mul(col(f, 3), 1 / (4 * k)), s0: col(f, 2) };
  };
  return {
    size: 2,
    Ax: (f) => {
      const { P, s, c } = parts(f);
      return matrix(f, 2, [add(c, k / 4), sub(s, P), add(s, P), sub(mul(c, -1), k / 4)]);
    },
    At: (f) => {
      const { P, s, c, s0 } = parts(f);
      const e = mul(s0, perturb);
      return matrix(f, 2, [add(sub(e, c), k / 4), sub(mul(s, -1), P), sub(P, s), sub(sub(c, e), k / 4)]);
    },
  };
}

/** [v]×, the matrix of v × ·, for v = (f_a, f_b, f_c) columns of f. */
function crossMatrix(f: Tensor, v: [Tensor, Tensor, Tensor]): Tensor {
  const zero = constant(f, 0);
  const neg = (t: Tensor) => mul(t, -1);
  return matrix(f, 3, [zero, neg(v[2]), v[1], v[2], zero, neg(v[0]), neg(v[1]), v[0], zero]);
}

const spin = (f: Tensor, o: number): [Tensor, Tensor, Tensor] => [col(f, o), col(f, o + 1), col(f, o + 2)];
const crossT = (a: Tensor[], b: Tensor[]): [Tensor, Tensor, Tensor] => [
  sub(mul(a[1], b[2]), mul(a[2], b[1])),
  sub(mul(a[2], b[0]), mul(a[0], b[2])),
  sub(mul(a[0], b[1]), mul(a[1], b[0])),
];

/**
 * The Heisenberg ferromagnet S_t = S × S_xx on the features (S, S_x), in so(3) (the adjoint of
 * su(2), [[a]×, [b]×] = [a × b]×): A_x = λ[S]×, A_t = −λ²[S]× + λ[S × S_x]×. With |S| = 1 and
 * S·S_x = 0 its curvature is λ[S_t − S × S_xx]×. `perturb` adds ε[S_x]× to A_t (a wrong pair).
 */
export function heisenbergConnection(lambda: number, perturb = 0): ConnectionFns {
  return {
    size: 3,
    Ax: (f) => mul(crossMatrix(f, spin(f, 0)), lambda),
    At: (f) => {
      const S = spin(f, 0);
      const Sx = spin(f, 3);
      const w = crossT(S, Sx);
      const v = S.map((s, a) => add(add(mul(s, -lambda * lambda), mul(w[a], lambda)), mul(Sx[a], perturb)));
      return crossMatrix(f, v as [Tensor, Tensor, Tensor]);
    },
  };
}

/**
 * A complex n×n matrix (real and imaginary entries, [B, 1] each, row-major) realified entry by
 * entry, a + ib ↦ [[a, −b], [b, a]]: a [B, 2n, 2n] real matrix. The map is an injective algebra
 * homomorphism, so a complex connection is flat exactly when its realification is.
 */
export function realify(f: Tensor, n: number, re: Tensor[], im: Tensor[]): Tensor {
  const out: Tensor[] = [];
  for (let I = 0; I < 2 * n; I++)
    for (let J = 0; J < 2 * n; J++) {
      const e = Math.floor(I / 2) * n + Math.floor(J / 2);
      const [r, c] = [I % 2, J % 2];
      out.push(r === c ? re[e] : r === 0 ? mul(im[e], -1) : im[e]);
    }
  return matrix(f, 2 * n, out);
}

/** −i v·σ as (real, imaginary) entries: [[−iv₃, −iv₁ − v₂], [−iv₁ + v₂, iv₃]]. */
function minusISigma(f: Tensor, v: Tensor[]): { re: Tensor[]; im: Tensor[] } {
  const zero = constant(f, 0);
  return {
    re: [zero, mul(v[1], -1), v[1], zero],
    im: [mul(v[2], -1), mul(v[0], -1), mul(v[0], -1), v[2]],
  };
}

/**
 * The su(2) form of the Heisenberg connection, A_x = −iμ S·σ, A_t = 2iμ²·s S·σ − iμ (S × S_x)·σ
 * (s = `timeSign`; s = +1 is flat for S_t = S × S_xx), realified to 4×4. With μ = λ/2 it is the
 * {@link heisenbergConnection} in the fundamental representation instead of the adjoint.
 */
export function heisenbergConnectionSu2(mu: number, timeSign = 1): ConnectionFns {
  const scale = (m: { re: Tensor[]; im: Tensor[] }, a: number) => ({
    re: m.re.map((t) => mul(t, a)),
    im: m.im.map((t) => mul(t, a)),
  });
  return {
    size: 4,
    Ax: (f) => {
      const m = scale(minusISigma(f, spin(f, 0)), mu);
      return realify(f, 2, m.re, m.im);
    },
    At: (f) => {
      const S = spin(f, 0);
      const a = scale(minusISigma(f, S), -2 * mu * mu * timeSign);
      const b = scale(minusISigma(f, crossT(S, spin(f, 3))), mu);
      return realify(
        f,
        2,
        a.re.map((t, i) => add(t, b.re[i])),
        a.im.map((t, i) => add(t, b.im[i])),
      );
    },
  };
}
