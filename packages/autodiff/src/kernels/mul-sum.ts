// o[j] = Σ_r x0·x1·…·x_{k−1} at (r, j): a product of factors summed over leading rows, in one
// pass with no intermediate array. It is what the derivative rules of mul, fma2 and tanhGrad
// compute as sumTo(mul(…), shape) when a small operand meets a batched cotangent: there the
// unfused path wrote (and page-faulted in) a full-size product only to sum it away.
//
// Each factor is "F" (full [R, C] layout), "S" (one row [C], the same for every r) or "K" (a
// single number). Products are taken left to right and each column sum starts from 0 and adds
// the rows in order — the same IEEE operations, in the same order, as mul followed by the sum
// kernel's leading-axis path (reduce.ts), so both give identical bits. Eight column sums stay in
// registers while the rows stream past, so the inner loop has no stores (V8 reloads typed-array
// fields after each store).
import type { Data, FactorKind } from "./types.js";
import { wasmMulSum } from "./wasm-mul-sum.js";

/** From this many products on, the SIMD kernel (wasm-mul-sum.ts) beats the copies it needs. */
const WASM_MIN = 16384;

type Fn = (xs: readonly Data[], R: number, C: number, o: Data) => void;

const fns = new Map<string, Fn>();

function gen(kinds: readonly FactorKind[]): Fn {
  const at = (k: number, col: string) =>
    kinds[k] === "F" ? `x${k}[p + ${col}]` : kinds[k] === "S" ? `x${k}[j + ${col}]` : `x${k}[0]`;
  const term = (col: string) => {
    let t = at(0, col);
    for (let k = 1; k < kinds.length; k++) t = `(${t}) * ${at(k, col)}`;
    return t;
  };
  const q = [0, 1, 2, 3, 4, 5, 6, 7];
  const src = `
    ${kinds.map((_, k) => `const x${k} = xs[${k}];`).join("\n")}
    let j = 0;
    for (; j + 8 <= C; j += 8) {
      ${q.map((i) => `let s${i} = 0;`).join(" ")}
      for (let r = 0, p = j; r < R; r++, p += C) {
        ${q.map((i) => `s${i} += ${term(String(i))};`).join("\n")}
      }
      ${q.map((i) => `o[j + ${i}] = s${i};`).join(" ")}
    }
    for (; j < C; j++) {
      let s = 0;
      for (let r = 0, p = j; r < R; r++, p += C) s += ${term("0")};
      o[j] = s;
    }`;
  return new Function("xs", "R", "C", "o", src) as Fn;
}

/** o[j] = Σ_{r<R} Π_k x_k(r, j) for j < C (see the file comment for the factor kinds and the order). */
export function mulSumKernel(
  xs: readonly Data[],
  kinds: readonly FactorKind[],
  R: number,
  C: number,
  o: Data,
): void {
  if (R * C >= WASM_MIN && wasmMulSum(xs, kinds, R, C, o)) return;
  const key = kinds.join("");
  let f = fns.get(key);
  if (!f) fns.set(key, (f = gen(kinds)));
  f(xs, R, C, o);
}
