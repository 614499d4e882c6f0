// The weighted Gram kernels of gram.ts on the SIMD code of wasm-gram-code.ts: samples go in chunks
// of about 256 KB, each chunk's J, c (and Ḡ) copied into the module's memory with rows padded to a
// multiple of 8 doubles, one call per chunk, and the results copied back out.
import { instantiate, type WasmMemory } from "@physml/wasm-encode";
import { type GramFwdFn, type GramVjpFn, gramFwdBytes, gramVjpBytes } from "./wasm-gram-code.js";
import { paddedRow, stageRows, stagingMemory, unstageRows } from "./wasm-rows.js";

/** Doubles of J per chunk (256 KB: in a core's L2 with the rest of the chunk). */
const CHUNK_DOUBLES = 32768;

type Mod<F> = { fn: F; mem: WasmMemory } | null;
let fwd: Mod<GramFwdFn> | undefined;
let vjp: Mod<GramVjpFn> | undefined;

const chunkOf = (d: number, np: number) => Math.max(1, Math.floor(CHUNK_DOUBLES / (d * np)));

/** H_b = J_b·diag(c_b)·J_bᵀ with the SIMD kernel (see gram.ts); false, doing nothing, when unavailable. */
export function wasmGram(
  j: Float64Array,
  c: Float64Array,
  h: Float64Array,
  B: number,
  d: number,
  n: number,
): boolean {
  if (fwd === undefined) fwd = instantiate<GramFwdFn>(gramFwdBytes(), "gramFwd", 8);
  if (fwd === null) return false;
  const np = paddedRow(n);
  const chunk = Math.min(B, chunkOf(d, np));
  // layout (doubles): J [chunk·d·np] | c [chunk·np] | H [chunk·d·d] | t [np]
  const [jOff, cOff] = [0, chunk * d * np];
  const hOff = cOff + chunk * np;
  const tOff = hOff + chunk * d * d;
  const buf = stagingMemory(fwd, tOff + np);
  if (buf === null) return false;
  for (let b0 = 0; b0 < B; b0 += chunk) {
    const nS = Math.min(chunk, B - b0);
    stageRows(buf, jOff, j, b0 * d, nS * d, n, np);
    stageRows(buf, cOff, c, b0, nS, n, np);
    fwd.fn(jOff * 8, cOff * 8, hOff * 8, tOff * 8, nS, d, np);
    h.set(buf.subarray(hOff, hOff + nS * d * d), b0 * d * d);
  }
  return true;
}

/** J̄ and c̄ of ⟨Ḡ, J·diag(c)·Jᵀ⟩ with the SIMD kernel (see gram.ts); false, doing nothing, when unavailable. */
export function wasmGramVjp(
  j: Float64Array,
  c: Float64Array,
  g: Float64Array,
  dj: Float64Array,
  dc: Float64Array,
  B: number,
  d: number,
  n: number,
): boolean {
  if (vjp === undefined) vjp = instantiate<GramVjpFn>(gramVjpBytes(), "gramVjp", 8);
  if (vjp === null) return false;
  const np = paddedRow(n);
  const chunk = Math.min(B, chunkOf(d, np));
  // layout (doubles): J | c | Ḡ [chunk·d·d] | J̄ [chunk·d·np] | c̄ [chunk·np]
  const [jOff, cOff] = [0, chunk * d * np];
  const gOff = cOff + chunk * np;
  const djOff = gOff + chunk * d * d;
  const dcOff = djOff + chunk * d * np;
  const buf = stagingMemory(vjp, dcOff + chunk * np);
  if (buf === null) return false;
  for (let b0 = 0; b0 < B; b0 += chunk) {
    const nS = Math.min(chunk, B - b0);
    stageRows(buf, jOff, j, b0 * d, nS * d, n, np);
    stageRows(buf, cOff, c, b0, nS, n, np);
    buf.set(g.subarray(b0 * d * d, (b0 + nS) * d * d), gOff);
    buf.fill(0, dcOff, dcOff + nS * np);
    vjp.fn(jOff * 8, cOff * 8, gOff * 8, djOff * 8, dcOff * 8, nS, d, np);
    unstageRows(dj, b0 * d, buf, djOff, nS * d, n, np);
    unstageRows(dc, b0, buf, dcOff, nS, n, np);
  }
  return true;
}
