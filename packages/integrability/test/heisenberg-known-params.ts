// The known so(3) Heisenberg connection written in the parameters of the Heisenberg setup's model
// (affine on the quadratic lift of (S, S_x), 3×3, no linear path), in a constant gauge and
// perturbed: the start of the learner tests that check training returns to it.
import { random, tensor } from "@physml/autodiff";
import { LaxModel, type LaxParams } from "../src/lax/model.js";
import { quadraticLift } from "../src/lax/quadratic-lift.js";

/** The Heisenberg setup's model: affine on the quadratic lift of (S, S_x), 3×3, no linear path. */
export const heisenbergModel = () =>
  new LaxModel({ inputs: 27, size: 3, hidden: [], seed: 0, linear: false, features: quadraticLift });

/** Column of the quadratic lift (f, f_i f_j for i ≤ j) that holds f_i f_j, with 6 features. */
const product = (i: number, j: number) => {
  const [a, b] = i <= j ? [i, j] : [j, i];
  let k = 6;
  for (let r = 0; r < a; r++) k += 6 - r;
  return k + b - a;
};

const mul3 = (x: number[], y: number[]) =>
  Array.from({ length: 9 }, (_, e) => {
    const [i, j] = [Math.floor(e / 3), e % 3];
    return x[3 * i] * y[j] + x[3 * i + 1] * y[3 + j] + x[3 * i + 2] * y[6 + j];
  });

const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** [e_a]×, row-major. */
const generator = (a: number) => {
  const v = [0, 0, 0];
  v[a] = 1;
  return [0, -v[2], v[1], v[2], 0, -v[0], -v[1], v[0], 0];
};

/**
 * A_x = G λ[S]× G⁻¹, A_t = G(−λ²[S]× + λ[S × S_x]×)G⁻¹ (G and G⁻¹ row-major; default the identity,
 * the so(3) form itself), each parameter then moved by a seeded N(0, noise²).
 */
export function heisenbergKnownParams(
  lambda: number,
  noise: number,
  gauge: { G: number[]; Ginv: number[] } = { G: IDENTITY, Ginv: IDENTITY },
): LaxParams {
  const template = heisenbergModel().init();
  const { G, Ginv } = gauge;
  const wL = new Float64Array(27 * 9);
  const wM = new Float64Array(27 * 9);
  for (let a = 0; a < 3; a++) {
    const M = mul3(mul3(G, generator(a)), Ginv);
    // (S × S_x)_a = S_b S_xc − S_c S_xb with (a, b, c) cyclic; S_x is features 3..5
    const [b, c] = [(a + 1) % 3, (a + 2) % 3];
    for (let e = 0; e < 9; e++) {
      if (M[e] === 0) continue;
      wL[a * 9 + e] = M[e] * lambda;
      wM[a * 9 + e] = -M[e] * lambda * lambda;
      wM[product(b, c + 3) * 9 + e] += M[e] * lambda;
      wM[product(c, b + 3) * 9 + e] -= M[e] * lambda;
    }
  }
  const keys = random.split(random.key(11), 4);
  const noisy = (w: Float64Array, k: number, shape: readonly number[]) => {
    const z = random.normal(keys[k], [...shape]).toFloat64Array();
    return tensor(
      w.map((v, i) => v + noise * z[i]),
      [...shape],
    );
  };
  const [L, M] = [template.L[0], template.M[0]];
  return {
    L: [{ w: noisy(wL, 0, L.w.shape), b: noisy(new Float64Array(9), 1, L.b.shape) }],
    M: [{ w: noisy(wM, 2, M.w.shape), b: noisy(new Float64Array(9), 3, M.b.shape) }],
  };
}
