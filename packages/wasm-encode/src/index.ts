/**
 * @packageDocumentation
 * A minimal WebAssembly binary encoder for physml's hand-written kernels (autodiff's SIMD
 * kernels, mcmc-gpu's Philox and packed-acceptance module), so they need no toolchain: LEB128
 * integers, sections and value types, the opcodes the kernels use, a one-function module that
 * imports its memory, and instantiation that returns null where the engine cannot run it.
 */
export { ensureBytes, instantiate, WA, type WasmApi, type WasmMemory } from "./api.js";
export {
  type Code,
  emitter,
  funcBody,
  funcType,
  HEADER,
  moduleBytes,
  section,
  str,
  T_F64,
  T_I32,
  T_I64,
  T_V128,
  vec,
} from "./binary.js";
export { sleb, slebBig, uleb } from "./leb128.js";
export * from "./opcodes.js";
