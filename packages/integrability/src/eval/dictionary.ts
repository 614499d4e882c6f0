// Symbolic-regression-light readout: fit a learned function linearly on a dictionary of terms
// (monomials of the state, optionally exponentials of coordinate differences) and print the
// formula with its R².
import { leastSquares } from "./linalg-small.js";

/** One dictionary term: a name and its value at a state. */
export interface DictionaryTerm {
  name: string;
  value: (x: ArrayLike<number>) => number;
}

/** All monomials of degree ≤ `degree` in the named variables (the constant "1" included). */
export function monomials(names: readonly string[], degree: number): DictionaryTerm[] {
  const terms: DictionaryTerm[] = [{ name: "1", value: () => 1 }];
  const grow = (start: number, idx: number[]): void => {
    if (idx.length > 0) {
      const ix = [...idx];
      terms.push({
        name: ix.map((i) => names[i]).join("·"),
        value: (x) => ix.reduce((a, i) => a * x[i], 1),
      });
    }
    if (idx.length === degree) return;
    for (let i = start; i < names.length; i++) grow(i, [...idx, i]);
  };
  grow(0, []);
  return terms;
}

/** exp((q_i − q_{i+1})/2) for the n coordinates of a periodic chain (Flaschka's variables up to ½). */
export function chainExponentials(n: number): DictionaryTerm[] {
  return Array.from({ length: n }, (_, i) => {
    const j = (i + 1) % n;
    return {
      name: `exp((q${i + 1}−q${j + 1})/2)`,
      value: (x: ArrayLike<number>) => Math.exp((x[i] - x[j]) / 2),
    };
  });
}

/** A fitted formula: the terms kept, their coefficients and the fit's R². */
export interface FittedFormula {
  formula: string;
  r2: number;
  terms: { name: string; coef: number }[];
}

/**
 * Fits y(x) on the dictionary over m states (x: [m, d] row-major); terms whose |coef| is below
 * `relCut` × the largest are dropped from the printed formula (not from the fit).
 */
export function fitFormula(
  dict: readonly DictionaryTerm[],
  x: Float64Array,
  d: number,
  y: ArrayLike<number>,
  relCut = 0.02,
): FittedFormula {
  const m = y.length;
  const p = dict.length;
  const X = new Float64Array(m * p);
  for (let r = 0; r < m; r++) {
    const row = x.subarray(r * d, (r + 1) * d);
    for (let i = 0; i < p; i++) X[r * p + i] = dict[i].value(row);
  }
  const { coef, r2 } = leastSquares(X, y, m, p);
  const big = Math.max(...Array.from(coef, Math.abs));
  const terms = dict
    .map((t, i) => ({ name: t.name, coef: coef[i] }))
    .filter((t) => Math.abs(t.coef) >= relCut * big && big > 0)
    .sort((a, b) => Math.abs(b.coef) - Math.abs(a.coef));
  const formula =
    terms.length === 0
      ? "0"
      : terms
          .map((t, i) => {
            const c = t.coef.toPrecision(3);
            const sign = i === 0 ? (t.coef < 0 ? "−" : "") : t.coef < 0 ? " − " : " + ";
            const mag = c.replace(/^-/, "");
            return t.name === "1" ? `${sign}${mag}` : `${sign}${mag}·${t.name}`;
          })
          .join("");
  return { formula, r2, terms };
}
