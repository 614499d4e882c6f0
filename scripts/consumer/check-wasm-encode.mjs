// wasm-encode from its tarball: a one-function module that adds two f64x2 lanes.
import {
  END,
  F64X2_ADD,
  funcBody,
  i32c,
  instantiate,
  moduleBytes,
  V_LOAD,
  V_STORE,
} from "@physml/wasm-encode";

const code = [
  ...i32c(0),
  ...i32c(0),
  ...V_LOAD(0),
  ...i32c(0),
  ...V_LOAD(16),
  ...F64X2_ADD,
  ...V_STORE(0),
  END,
];
const m = instantiate(moduleBytes(0, "f", funcBody([], code)), "f", 1);
if (!m) throw new Error("WebAssembly SIMD module did not instantiate");
const f = new Float64Array(m.mem.buffer);
f.set([1, 2, 10, 20]);
m.fn();
if (f[0] !== 11 || f[1] !== 22) throw new Error(`got ${f[0]}, ${f[1]}`);
console.log("wasm-encode: f64x2 add module runs");
