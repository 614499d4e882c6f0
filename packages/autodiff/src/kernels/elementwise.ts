// Contiguous Float64/Float32 elementwise kernels. Each op's loop is generated once from a small
// expression string so the hot loop has no per-element closure call (V8 inlines the expression).
import type { Shape } from "../core/shape.js";
import { tanhKernel } from "./tanh.js";
import type { Data } from "./types.js";
import { wasmNary } from "./wasm-elementwise.js";

/** Below this many elements the JavaScript loop beats copying through WebAssembly memory. */
const WASM_NARY_MIN = 1024;

type UnaryFn = (x: Data, o: Data, n: number) => void;
type NaryFn = (ins: Data[], o: Data, shape: number[], strides: number[][]) => void;

function genUnary(expr: string): UnaryFn {
  return new Function(
    "x",
    "o",
    "n",
    `for (let i = 0; i < n; i++) { const a = x[i]; o[i] = ${expr}; }`,
  ) as UnaryFn;
}

// n-ary broadcasting loop over merged dims; the innermost dim is a flat loop with pointer
// increments (stride 0 for a broadcast operand), outer dims use an odometer.
function genNary(arity: number, expr: string): NaryFn {
  const v = Array.from({ length: arity }, (_, i) => i);
  const src = `
    ${v.map((i) => `const x${i} = ins[${i}];`).join("\n")}
    const nd = shape.length;
    if (nd === 0) { ${v.map((i) => `const a${i} = x${i}[0];`).join("")} o[0] = ${expr}; return; }
    const inner = shape[nd - 1];
    let total = 1; for (let d = 0; d < nd; d++) total *= shape[d];
    if (total === 0) return;
    const outer = total / inner;
    ${v.map((i) => `const st${i} = strides[${i}]; const s${i} = st${i}[nd - 1]; let p${i} = 0;`).join("\n")}
    const cnt = new Int32Array(nd);
    const allUnit = ${v.map((i) => `s${i} === 1`).join(" && ")};
    let po = 0;
    for (let r = 0; r < outer; r++) {
      if (allUnit) {
        for (let j = 0; j < inner; j++) { ${v.map((i) => `const a${i} = x${i}[p${i} + j];`).join("")} o[po + j] = ${expr}; }
      } else {
        ${v.map((i) => `let q${i} = p${i};`).join("")}
        for (let j = 0; j < inner; j++) {
          ${v.map((i) => `const a${i} = x${i}[q${i}]; q${i} += s${i};`).join("")}
          o[po + j] = ${expr};
        }
      }
      po += inner;
      for (let d = nd - 2; d >= 0; d--) {
        cnt[d]++;
        ${v.map((i) => `p${i} += st${i}[d];`).join("")}
        if (cnt[d] < shape[d]) break;
        ${v.map((i) => `p${i} -= st${i}[d] * shape[d];`).join("")}
        cnt[d] = 0;
      }
    }`;
  return new Function("ins", "o", "shape", "strides", src) as NaryFn;
}

/** Unary expressions in the variable `a`. */
export const UNARY_EXPR = {
  neg: "-a",
  exp: "Math.exp(a)",
  log: "Math.log(a)",
  sqrt: "Math.sqrt(a)",
  sin: "Math.sin(a)",
  cos: "Math.cos(a)",
  tanh: "Math.tanh(a)", // reference expression; the CPU kernel is tanhKernel (kernels/tanh.ts)
  sigmoid: "a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a))",
  softplus: "a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a))",
  abs: "Math.abs(a)",
  sign: "a > 0 ? 1 : a < 0 ? -1 : 0",
} as const;
export type UnaryName = keyof typeof UNARY_EXPR;

/** Binary expressions in `a0`, `a1`. */
export const BINARY_EXPR = {
  add: "a0 + a1",
  sub: "a0 - a1",
  mul: "a0 * a1",
  div: "a0 / a1",
  pow: "Math.pow(a0, a1)",
  maximum: "a0 > a1 ? a0 : a1",
  minimum: "a0 < a1 ? a0 : a1",
  greater: "a0 > a1 ? 1 : 0",
  greaterEqual: "a0 >= a1 ? 1 : 0",
  less: "a0 < a1 ? 1 : 0",
  equal: "a0 === a1 ? 1 : 0",
} as const;
export type BinaryName = keyof typeof BINARY_EXPR;

const unaryFns = new Map<string, UnaryFn>();
const naryFns = new Map<string, NaryFn>();

export function unaryKernel(name: UnaryName, x: Data, o: Data): void {
  if (name === "tanh") {
    tanhKernel(x, o, o.length);
    return;
  }
  let f = unaryFns.get(name);
  if (!f) unaryFns.set(name, (f = genUnary(UNARY_EXPR[name])));
  f(x, o, o.length);
}

/** The loop o[i] = expr(x[i]) for an expression in `a`, compiled once (ops defined by `defineUnary`). */
export function exprKernel(expr: string): (x: Data, o: Data, n: number) => void {
  return genUnary(expr);
}

/** Merges adjacent dims that are contiguous for every operand and drops size-1 dims. */
export function mergeDims(shape: Shape, strides: number[][]): { shape: number[]; strides: number[][] } {
  const sh: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = sh.length - 1;
    if (last >= 0 && strides.every((s, k) => st[k][last] === s[d] * shape[d])) {
      sh[last] *= shape[d];
      strides.forEach((s, k) => {
        st[k][last] = s[d];
      });
    } else {
      sh.push(shape[d]);
      strides.forEach((s, k) => {
        st[k].push(s[d]);
      });
    }
  }
  return { shape: sh, strides: st };
}

/** Runs a broadcasting n-ary expression: `strides[k]` are operand k's strides in `outShape`. */
export function naryKernel(
  key: string,
  expr: string,
  ins: Data[],
  strides: number[][],
  outShape: Shape,
  o: Data,
): void {
  let f = naryFns.get(key);
  if (!f) naryFns.set(key, (f = genNary(ins.length, expr)));
  const m = mergeDims(outShape, strides);
  if (o.length >= WASM_NARY_MIN && wasmNary(key, ins, m.shape, m.strides, o)) return;
  f(ins, o, m.shape, m.strides);
}

export const WHERE_EXPR = "a0 !== 0 ? a1 : a2";
