// Straight-line code per n for the batched log|det| and inverse of kernels/linalg.ts: the loops
// there written out with every index a constant, generated once per n with `new Function`. The
// IEEE operations and their order per entry are those of the loops (the tests compare bits).
//
// Measured on [1024, 10, 10] (Node 20, PERFORMANCE.md): `logdet` ~2.2× and `inverse` ~3×
// faster than the loops; faster too at each n measured up to 12, and not slower at batches of
// 1 and 4.
// The price is the start: until V8 has optimised the long functions they run in its interpreter,
// so the first three or four calls on [1024, 10, 10] together cost ~40 ms more (inverse) and
// ~12 ms more (log|det|) than the loops did.
import type { Data } from "./types.js";

/**
 * The largest n given straight-line code. Past a size V8 does not optimise a function at all and
 * it runs 6–30× slower than the loops: measured on Node 20, the inverse's functions were still
 * optimised at n = 14, not at 15; the log|det|'s at 15, not at 16. 12 leaves a margin.
 */
export const UNROLL_MAX_N = 12;

type Cell = (i: number, j: number) => string;

/**
 * LU with partial pivoting of the n×n block of `a` at `off`, the loop of luBlock (linalg.ts)
 * unrolled: the pivot search in the same order, then `swap(k)`, the code exchanging rows k and p
 * (p > k, a variable), then the elimination with the same skip of a zero multiplier. `cell(i, j)`
 * names an entry (a local, or a slot of the scratch array). Leaves the permutation's sign in
 * `sign` and returns 0 from the function for a singular block.
 */
function luSource(n: number, cell: Cell, swap: (k: number) => string): string {
  const s: string[] = ["let sign = 1, p = 0, best = 0, v = 0, f = 0, t = 0;"];
  for (let k = 0; k < n; k++) {
    s.push(`p = ${k}; best = Math.abs(${cell(k, k)});`);
    for (let i = k + 1; i < n; i++)
      s.push(`v = Math.abs(${cell(i, k)}); if (v > best) { best = v; p = ${i}; }`);
    s.push("if (best === 0) return 0;");
    if (k < n - 1) s.push(`if (p !== ${k}) { sign = -sign; ${swap(k)} }`);
    for (let i = k + 1; i < n; i++) {
      const update: string[] = [];
      for (let j = k + 1; j < n; j++) update.push(`${cell(i, j)} -= f * ${cell(k, j)};`);
      const divide = `f = ${cell(i, k)} = ${cell(i, k)} / ${cell(k, k)};`;
      s.push(update.length ? `${divide} if (f !== 0) { ${update.join(" ")} }` : divide);
    }
  }
  return s.join("\n");
}

/** log|det| (−∞ if singular) of block b into ld[b] and, with `sign`, its sign (0 if singular). */
export type SlogdetBatch = (a: Data, nb: number, ld: Data, sign: Data | null) => void;

/** Writes A⁻¹ of each block into `o`; returns the first singular block's index, or −1. */
export type InverseBatch = (a: Data, nb: number, o: Data) => number;

// The LU of the determinant in locals (nothing to write back); the sum of logs in the loop's order.
function slogdetSource(n: number): string {
  const cell: Cell = (i, j) => `m${i}_${j}`;
  const load: string[] = [];
  for (let i = 0; i < n; i++) {
    load.push(
      `let ${Array.from({ length: n }, (_, j) => `${cell(i, j)} = a[off + ${i * n + j}]`).join(", ")};`,
    );
  }
  // Locals have no index: one case per p. Columns < k hold multipliers the determinant never reads.
  const swap = (k: number) => {
    const cases: string[] = [];
    for (let p = k + 1; p < n; p++) {
      const rows: string[] = [];
      for (let j = k; j < n; j++)
        rows.push(`t = ${cell(k, j)}; ${cell(k, j)} = ${cell(p, j)}; ${cell(p, j)} = t;`);
      cases.push(`case ${p}: ${rows.join(" ")} break;`);
    }
    return `switch (p) { ${cases.join("\n")} }`;
  };
  const logs: string[] = ["let ld = 0, d = 0;"];
  for (let i = 0; i < n; i++)
    logs.push(`d = ${cell(i, i)}; if (d < 0) sign = -sign; ld += Math.log(Math.abs(d));`);
  return `
    function block(a, off) {
      ${load.join("\n")}
      ${luSource(n, cell, swap)}
      ${logs.join("\n")}
      last = sign;
      return ld;
    }
    let last = 0;
    return function slogdet(a, nb, ld, sign) {
      for (let b = 0; b < nb; b++) {
        last = 0;
        const v = block(a, b * ${n * n});
        ld[b] = last === 0 ? -Infinity : v;
        if (sign !== null) sign[b] = last;
      }
    };`;
}

// A⁻¹ = U⁻¹·L⁻¹·P. Column piv[j] of A⁻¹ solves against e_j (solveBlock's right-hand side P·I has
// its 1 of column piv[j] in row j), so its forward substitution starts at row j: the rows above
// are exact +0 and their terms, l·0, leave the sum unchanged for finite l. An infinite or NaN
// l_ik (k < j) made solveBlock's column piv[j] all NaN; here it is skipped there, and still
// makes column piv[k] (where it is the first term) non-finite, so a non-finite result stays
// non-finite, though which entries are NaN or ±∞ may differ. Rows of Z = L⁻¹, then of X = U⁻¹Z,
// each entry's terms in the loop's order; the rows of X land in A⁻¹'s columns piv[j].
function inverseSource(n: number): string {
  const lu: Cell = (i, j) => `lu[${i * n + j}]`;
  const x: Cell = (i, j) => `x[${i * n + j}]`;
  const forward: string[] = [];
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      let e = `0 - ${lu(i, j)}`;
      for (let k = j + 1; k < i; k++) e += ` - ${lu(i, k)} * ${x(k, j)}`;
      forward.push(`${x(i, j)} = ${e};`);
    }
  }
  const back: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    back.push(`d = ${lu(i, i)};`);
    for (let k = i + 1; k < n; k++) back.push(`u${k} = ${lu(i, k)};`);
    for (let j = 0; j < n; j++) {
      let e = j < i ? x(i, j) : j === i ? "1" : "0";
      for (let k = i + 1; k < n; k++) e += ` - u${k} * ${x(k, j)}`;
      back.push(`${x(i, j)} = (${e}) / d;`);
    }
  }
  const us = Array.from({ length: n }, (_, k) => `u${k} = 0`).join(", ");
  const swap = (k: number) =>
    `const q = p * ${n}; for (let j = 0; j < ${n}; j++) { t = lu[${k * n} + j]; lu[${k * n} + j] = lu[q + j]; lu[q + j] = t; } t = piv[${k}]; piv[${k}] = piv[p]; piv[p] = t;`;
  // The rows swap in a loop, not in a `switch` with constant indices as in the determinant: with
  // full rows the cases made the LU too long for V8 to optimise from n = 12 on. Three functions,
  // not one: 0.43 against 0.52 ms on [1024, 10, 10] when measured.
  return `
    const lu = new Float64Array(${n * n}), piv = new Int32Array(${n}), x = new Float64Array(${n * n});
    function factor(a, off) {
      for (let i = 0; i < ${n * n}; i++) lu[i] = a[off + i];
      for (let i = 0; i < ${n}; i++) piv[i] = i;
      ${luSource(n, lu, swap)}
      return sign;
    }
    function lower() {
      ${forward.join("\n")}
    }
    function upper() {
      let d = 0, ${us};
      ${back.join("\n")}
    }
    return function inverse(a, nb, o) {
      for (let b = 0; b < nb; b++) {
        const off = b * ${n * n};
        if (factor(a, off) === 0) return b;
        lower();
        upper();
        for (let j = 0; j < ${n}; j++) {
          const c = off + piv[j];
          for (let i = 0; i < ${n}; i++) o[c + i * ${n}] = x[i * ${n} + j];
        }
      }
      return -1;
    };`;
}

/** A getter of the function generated from `source(n)`, compiled on first use for each n. */
function compiledPerN<F>(source: (n: number) => string): (n: number) => F {
  const made = new Map<number, F>();
  return (n) => {
    let f = made.get(n);
    if (f === undefined) {
      f = new Function(source(n))() as F;
      made.set(n, f);
    }
    return f;
  };
}

/** The straight-line log|det| for n ≤ UNROLL_MAX_N (compiled on first use). */
export const slogdetUnrolled = compiledPerN<SlogdetBatch>(slogdetSource);

/** The straight-line inverse for n ≤ UNROLL_MAX_N (compiled on first use). */
export const inverseUnrolled = compiledPerN<InverseBatch>(inverseSource);
