// Reductions (sum, max) over one block of contiguous axes, viewed as [outer, n, inner], without
// workgroup memory or barriers: a pass maps [outer, n, inner] → [outer, P, inner], thread
// (o, p, i) folding elements p, p + P, p + 2P, ... of its column serially — neighbouring
// threads read neighbouring addresses (coalesced on GPUs, vector loads on SwiftShader). Passes
// repeat with P ≈ √n until P = 1 (2^20 values: 1024 partials, then 1); n ≤ 1024 is one pass.
// This replaced a shared-memory tree (64 threads × 64 serial, 6 barrier levels) after the
// evaluation: on SwiftShader the tree took ~43 ms for a 2^20 sum against ~21 ms for gpu.js's
// barrier-free two-stage sum (README.gpu.md); the price is a longer serial rounding chain,
// bounded by {@link sumErrorDepth}.
import { WGSL_NEG_INF, WGSL_SPECIALS } from "./common.js";

/** Reduction ops of the GPU backend. */
export type ReduceOp = "sum" | "max";

/** Threads per workgroup of the reduction passes. */
export const REDUCE_WORKGROUP = 64;
/** Up to this many elements per output a single serial pass is used. */
export const REDUCE_SERIAL_MAX = 1024;

const IDENTITY: Record<ReduceOp, string> = { sum: "0.0", max: WGSL_NEG_INF };
const COMBINE: Record<ReduceOp, (x: string, y: string) => string> = {
  sum: (x, y) => `${x} + ${y}`,
  max: (x, y) => `max(${x}, ${y})`,
};

/** Number of partials P after each pass when reducing n elements; the last entry is 1. */
export function reducePlan(n: number): number[] {
  const plan: number[] = [];
  let m = n;
  while (m > 1) {
    const p = m <= REDUCE_SERIAL_MAX ? 1 : Math.ceil(Math.sqrt(m));
    plan.push(p);
    m = p;
  }
  return plan;
}

/**
 * Length of the longest chain of f32 additions in a GPU sum of n values: the error is at most
 * depth · 2⁻²⁴ · Σ|xᵢ| to first order (plus the rounding of the inputs to f32).
 */
export function sumErrorDepth(n: number): number {
  let depth = 0;
  let m = n;
  for (const p of reducePlan(n)) {
    depth += Math.ceil(m / p) - 1;
    m = p;
  }
  return depth;
}

/** Pipeline key of a reduction pass. */
export function reduceKey(op: ReduceOp): string {
  return `reduce.serial.${op}`;
}

/**
 * WGSL of one pass [outer, n, inner] → [outer, P, inner].
 * info = [outer·P·inner, rowThreads, n, inner, P].
 */
export function reduceWgsl(op: ReduceOp): string {
  const f = COMBINE[op];
  return `@group(0) @binding(0) var<storage, read> info: array<u32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${WGSL_SPECIALS}
@compute @workgroup_size(${REDUCE_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let o = gid.x + gid.y * info[1];
  if (o >= info[0]) { return; }
  let n = info[2];
  let inner = info[3];
  let P = info[4];
  let i = o % inner;
  let t = o / inner;
  let p = t % P;
  let base = (t / P) * n * inner + i;
  var acc = ${IDENTITY[op]};
  for (var k = p; k < n; k += P) { acc = ${f("acc", "a[base + k * inner]")}; }
  out[o] = acc;
}
`;
}
