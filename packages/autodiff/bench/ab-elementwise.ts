// A/B timing of single elementwise passes at the Hessian workload's shapes against a copy of src/
// (not part of `pnpm bench`):
//   node --conditions=@physml/source --import tsx bench/ab-elementwise.ts SRC_DIR
// A tangent batch is [10, 1024, 64] (655 360 doubles, 5 MB); a primal factor [1024, 64] is
// broadcast over its 10 directions. Prints the median ms of 100 passes each, a plain copy of the
// same size for scale, and a hash of the outputs (so two source trees compare bits too).
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";

const [dir] = process.argv.slice(2);
const { naryKernel } = (await import(
  path.resolve(dir, "kernels/elementwise.ts")
)) as typeof import("../src/kernels/elementwise.js");
const { BINARY_EXPR } = await import("../src/kernels/elementwise.js");

const P = 1024 * 64;
const n = 10 * P;
let seed = 1;
const rnd = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32 - 0.5;
};
const full = () => Float64Array.from({ length: n }, rnd);
const [t1, t2] = [full(), full()];
const [y, g] = [Float64Array.from({ length: P }, rnd), Float64Array.from({ length: P }, rnd)];
const o = new Float64Array(n);
const whole = [[1]];
const rows = [
  [P, 1],
  [0, 1],
];
const shape = [10, P];
const passes: Record<string, () => void> = {
  copy: () => o.set(t1),
  "mul, two tangents": () => naryKernel("mul", BINARY_EXPR.mul, [t1, t2], [...whole, ...whole], [n], o),
  "mul, tangent × primal": () => naryKernel("mul", BINARY_EXPR.mul, [t1, y], rows, shape, o),
  "tanhGrad(primal, tangent)": () =>
    naryKernel("tanhGrad", "a1 * (1 - a0 * a0)", [y, t1], [rows[1], rows[0]], shape, o),
  "fma2(tangent, primal, tangent, primal)": () =>
    naryKernel("fma2", "a0 * a1 + a2 * a3", [t1, y, t2, g], [...rows, ...rows], shape, o),
};
const ms: Record<string, number> = {};
const h = createHash("sha256");
for (const [name, f] of Object.entries(passes)) {
  for (let i = 0; i < 10; i++) f();
  const ts: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  ms[name] = +ts[50].toFixed(3);
  h.update(o);
}
console.log(
  JSON.stringify({ src: dir, ms, hash: h.digest("hex").slice(0, 16), load: +os.loadavg()[0].toFixed(2) }),
);
