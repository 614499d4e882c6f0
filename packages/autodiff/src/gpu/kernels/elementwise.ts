// Elementwise WGSL kernels: unary ops, and binary ops in three layouts — same shape (flat index),
// a scalar operand (stored in the info buffer), and general NumPy broadcasting (strides per
// axis, 0 along broadcast axes). One pipeline per (op, layout); shapes travel in the info buffer.
import { WGSL_NAN, WGSL_SPECIALS, WORKGROUP_1D } from "./common.js";

/** Unary ops the GPU backend implements (names as in the CPU ops of `@physml/autodiff`). */
export const UNARY_OPS = [
  "neg",
  "exp",
  "log",
  "sqrt",
  "abs",
  "sin",
  "cos",
  "tanh",
  "sigmoid",
  "relu",
  "softplus",
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Binary ops the GPU backend implements; comparisons return 0/1. */
export const BINARY_OPS = [
  "add",
  "sub",
  "mul",
  "div",
  "pow",
  "maximum",
  "minimum",
  "greater",
  "less",
  "equal",
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

// Numerically stable forms: tanh and sigmoid via exp(-|x|) never overflow, tanh uses its
// Taylor series near 0 where (1 - e)/(1 + e) would cancel, softplus uses an accurate log1p.
const HELPERS = `${WGSL_SPECIALS}
fn log1p_(e: f32) -> f32 {
  // series below 1e-4 (truncation < e³/4), else Goldberg's trick: log(u)·e/(u - 1) is exact
  // for the rounded argument u = 1 + e, so the rounding of 1 + e does not cancel
  if (e < 1e-4) { return e * (1.0 - e * (0.5 - e / 3.0)); }
  let u = 1.0 + e;
  if (u == 1.0) { return e; }
  return log(u) * e / (u - 1.0);
}
fn tanh_(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.0625) {
    let x2 = x * x;
    return x * (1.0 - x2 * (1.0 / 3.0 - x2 * (2.0 / 15.0 - x2 * (17.0 / 315.0))));
  }
  let e = exp(-2.0 * a);
  return sign(x) * (1.0 - e) / (1.0 + e);
}
fn sigmoid_(x: f32) -> f32 {
  let e = exp(-abs(x));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0);
}
fn softplus_(x: f32) -> f32 {
  return max(x, 0.0) + log1p_(exp(-abs(x)));
}
fn pow_(x: f32, y: f32) -> f32 {
  if (y == 0.0) { return 1.0; }
  let m = exp2(y * log2(abs(x)));
  if (x >= 0.0) { return m; }
  // negative base: defined only for integer exponents, with the sign of x^y
  if (fract(y) != 0.0) { return ${WGSL_NAN}; }
  return select(m, -m, fract(y * 0.5) != 0.0);
}
`;

const UNARY_EXPR: Record<UnaryOp, string> = {
  neg: "-x",
  exp: "exp(x)",
  log: "log(x)",
  sqrt: "sqrt(x)",
  abs: "abs(x)",
  sin: "sin(x)",
  cos: "cos(x)",
  tanh: "tanh_(x)",
  sigmoid: "sigmoid_(x)",
  relu: "max(x, 0.0)",
  softplus: "softplus_(x)",
};

const BINARY_EXPR: Record<BinaryOp, string> = {
  add: "x + y",
  sub: "x - y",
  mul: "x * y",
  div: "x / y",
  pow: "pow_(x, y)",
  maximum: "max(x, y)",
  minimum: "min(x, y)",
  greater: "select(0.0, 1.0, x > y)",
  less: "select(0.0, 1.0, x < y)",
  equal: "select(0.0, 1.0, x == y)",
};

/** How the operands of a binary op are laid out. */
export type BinaryLayout = "same" | "scalar-right" | "scalar-left" | "broadcast";

const HEADER = `@group(0) @binding(0) var<storage, read> info: array<u32>;`;
const INDEX = `let i = gid.x + gid.y * info[1];
  if (i >= info[0]) { return; }`;

/** Pipeline key of a unary op. */
export function unaryKey(op: UnaryOp): string {
  return `unary.${op}`;
}

/** WGSL of a unary op. info = [n, rowThreads]. */
export function unaryWgsl(op: UnaryOp): string {
  return `${HEADER}
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${HELPERS}
@compute @workgroup_size(${WORKGROUP_1D})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${INDEX}
  let x = a[i];
  out[i] = ${UNARY_EXPR[op]};
}
`;
}

/** Pipeline key of a binary op in a layout. */
export function binaryKey(op: BinaryOp, layout: BinaryLayout): string {
  return `binary.${op}.${layout}`;
}

/**
 * WGSL of a binary op. info = [n, rowThreads, ...]: for the scalar layouts info[2] holds the
 * scalar's f32 bits; for `broadcast` info = [n, rowThreads, rank, shape[rank], aStrides[rank],
 * bStrides[rank]] of the output.
 */
export function binaryWgsl(op: BinaryOp, layout: BinaryLayout): string {
  const expr = BINARY_EXPR[op];
  if (layout === "same" || layout === "broadcast") {
    const load =
      layout === "same"
        ? "let x = a[i];\n  let y = b[i];"
        : `let rank = info[2];
  var rem = i;
  var ia = 0u;
  var ib = 0u;
  for (var d = i32(rank) - 1; d >= 0; d--) {
    let k = u32(d);
    let extent = info[3u + k];
    let c = rem % extent;
    rem = rem / extent;
    ia += c * info[3u + rank + k];
    ib += c * info[3u + 2u * rank + k];
  }
  let x = a[ia];
  let y = b[ib];`;
    return `${HEADER}
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
${HELPERS}
@compute @workgroup_size(${WORKGROUP_1D})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${INDEX}
  ${load}
  out[i] = ${expr};
}
`;
  }
  const load = layout === "scalar-right" ? "let x = a[i];\n  let y = s;" : "let x = s;\n  let y = a[i];";
  return `${HEADER}
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${HELPERS}
@compute @workgroup_size(${WORKGROUP_1D})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${INDEX}
  let s = bitcast<f32>(info[2]);
  ${load}
  out[i] = ${expr};
}
`;
}
