// One level of the packed kernel's Bernoulli masks on the four i32x4 lanes of v128 locals, as
// WebAssembly code to splice into a function body (@physml/wasm-encode): the per-level hash
// (lowbias32 of packed-hash.ts, then xor with a key) and the level's decision. Shared by the
// block-at-a-time `packedAccept4` and the whole-sweep SIMD kernel, so both draw exactly as
// packed-hash.ts does (tested there).
import { get, I32X4_MUL, I32X4_SHR_U, i32c, set, V_AND, V_ANDNOT, V_OR, V_XOR } from "@physml/wasm-encode";

/**
 * x = lowbias32(x) ^ key on v128 local `x`: x ^= x >>> 16; x *= m1; x ^= x >>> 15; x *= m2;
 * x ^= x >>> 16; x ^= key, with `m1`, `m2` and `key` v128 locals (multipliers splatted).
 */
export function lowbiasMixV128(x: number, m1: number, m2: number, key: number): number[] {
  const xorShr = (s: number) => [...get(x), ...get(x), ...i32c(s), ...I32X4_SHR_U, ...V_XOR];
  return [
    ...xorShr(16),
    ...get(m1),
    ...I32X4_MUL,
    ...set(x),
    ...xorShr(15),
    ...get(m2),
    ...I32X4_MUL,
    ...set(x),
    ...xorShr(16),
    ...get(key),
    ...V_XOR,
    ...set(x),
  ];
}

/**
 * One level's decision with the level's uniform bits in `u` and its threshold mask in `tm` (all
 * v128 locals): acc |= und & tm & ~u (lanes still undecided whose threshold bit is 1 and whose
 * bit is 0 are accepted); und &= ~(u ^ tm) (a lane stays undecided while its bit equals the
 * threshold's).
 */
export function bernoulliLevelV128(acc: number, und: number, tm: number, u: number): number[] {
  return [
    ...get(acc),
    ...get(und),
    ...get(tm),
    ...V_AND,
    ...get(u),
    ...V_ANDNOT,
    ...V_OR,
    ...set(acc),
    ...get(und),
    ...get(u),
    ...get(tm),
    ...V_XOR,
    ...V_ANDNOT,
    ...set(und),
  ];
}
