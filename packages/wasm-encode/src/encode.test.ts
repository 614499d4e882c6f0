// The encoder against the WebAssembly specification's LEB128 examples and against the engine:
// modules it builds must validate and compute what their code says.
import { describe, expect, test } from "vitest";
import {
  BLOCK,
  br,
  brIf,
  END,
  emitter,
  ensureBytes,
  F64_STORE,
  F64X2_ADD,
  F64X2_MUL,
  f64c,
  funcBody,
  get,
  I8X16_SHUFFLE,
  I32_ADD,
  I32_EQ,
  I32_GE_S,
  I32_MUL,
  I32X4_MUL,
  I64X2_EXTMUL_HIGH_U,
  I64X2_EXTMUL_LOW_U,
  i32c,
  instantiate,
  LOOP,
  moduleBytes,
  SELECT,
  set,
  sleb,
  slebBig,
  T_I32,
  T_V128,
  tee,
  uleb,
  V_LOAD,
  V_NOT,
  V_STORE,
  V_XOR,
  WA,
} from "./index.js";

describe("LEB128", () => {
  test("known encodings", () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(2 ** 32 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(slebBig(-123456n)).toEqual([0xc0, 0xbb, 0x78]);
    expect(slebBig(0xd2511f53n)).toEqual([0xd3, 0xbe, 0xc4, 0x92, 0x0d]);
  });

  test("signed encodings decode back, over the whole i32 range", () => {
    const decode = (bytes: number[]): number => {
      let v = 0n;
      let shift = 0n;
      for (const b of bytes) {
        v |= BigInt(b & 0x7f) << shift;
        shift += 7n;
      }
      if (bytes[bytes.length - 1] & 0x40) v -= 1n << shift;
      return Number(v);
    };
    for (const v of [0, 1, -1, 63, -64, 64, -65, 2 ** 31 - 1, -(2 ** 31), 0x7feb352d, -0x7b5cd973]) {
      expect(decode(sleb(v))).toBe(v);
      expect(decode(slebBig(BigInt(v)))).toBe(v);
    }
  });
});

describe("modules", () => {
  test("a scalar loop module validates and runs: Σ_{i<n} i·k into memory[0]", () => {
    // params n k; locals i acc
    const code = [
      ...i32c(0),
      ...set(2),
      ...i32c(0),
      ...set(3),
      ...BLOCK,
      ...LOOP,
      ...get(2),
      ...get(0),
      I32_GE_S,
      ...brIf(1),
      ...get(3),
      ...get(2),
      ...get(1),
      I32_MUL,
      I32_ADD,
      ...set(3),
      ...get(2),
      ...i32c(1),
      I32_ADD,
      ...set(2),
      ...br(0),
      END,
      END,
      ...i32c(0),
      ...get(3),
      0x36,
      2,
      0, // i32.store
      END,
    ];
    const m = instantiate<(n: number, k: number) => void>(
      moduleBytes(2, "sum", funcBody([[2, T_I32]], code)),
      "sum",
      1,
    );
    expect(m).not.toBeNull();
    m?.fn(100, 3);
    expect(new Int32Array(m?.mem.buffer ?? new ArrayBuffer(4))[0]).toBe(3 * 4950);
  });

  test("a SIMD module validates and runs: memory[0..2) = memory[0..2)·memory[2..4) + memory[0..2)", () => {
    const code: number[] = [...i32c(0), ...i32c(0), ...V_LOAD(0), ...i32c(0), ...V_LOAD(16), ...F64X2_MUL];
    code.push(...i32c(0), ...V_LOAD(0), ...F64X2_ADD, ...V_STORE(0), END);
    const bytes = moduleBytes(0, "f", funcBody([], code));
    expect(WA?.validate(bytes)).toBe(true);
    const m = instantiate<() => void>(bytes, "f", 1);
    expect(m).not.toBeNull();
    if (!m) return;
    ensureBytes(m.mem, 2 * 65536);
    expect(m.mem.buffer.byteLength).toBe(2 * 65536);
    const f = new Float64Array(m.mem.buffer);
    f.set([1.5, -2, 4, 0.25]);
    m.fn();
    expect([f[0], f[1]]).toEqual([1.5 * 4 + 1.5, -2 * 0.25 - 2]);
  });

  test("emitter, f64.const, f64.store and i32.eq: memory[0] = (n == 7 ? 2.5 : −0.125)", () => {
    const { c: code, e } = emitter();
    e(i32c(0), f64c(2.5), f64c(-0.125), get(0), i32c(7), I32_EQ, 0x1b /* select */, F64_STORE, END);
    const m = instantiate<(n: number) => void>(moduleBytes(1, "f", funcBody([], code)), "f", 1);
    expect(m).not.toBeNull();
    if (!m) return;
    const f = new Float64Array(m.mem.buffer);
    m.fn(7);
    expect(f[0]).toBe(2.5);
    m.fn(3);
    expect(f[0]).toBe(-0.125);
    // f64.const carries the IEEE-754 bits little-endian (spec: f64.const is 0x44 then 8 bytes)
    expect(f64c(1)).toEqual([0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
  });

  test("32×32→64 products in SIMD lanes: extmul low/high + shuffle give the high words, i32x4.mul the low", () => {
    // memory: a[4] at 0, b[4] at 16 → hi[4] at 32, lo[4] at 48, ~(a ^ b) at 64
    const odd = [4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31];
    const { c: code, e } = emitter();
    e(i32c(0), V_LOAD(0), set(0), i32c(0), V_LOAD(16), set(1));
    e(i32c(0), get(0), get(1), I64X2_EXTMUL_LOW_U, get(0), get(1), I64X2_EXTMUL_HIGH_U, I8X16_SHUFFLE(odd));
    e(V_STORE(32), i32c(0), get(0), get(1), I32X4_MUL, V_STORE(48));
    e(i32c(0), get(0), get(1), V_XOR, tee(2), V_NOT, V_STORE(64), END);
    const m = instantiate<() => void>(moduleBytes(0, "f", funcBody([[3, T_V128]], code)), "f", 1);
    expect(m).not.toBeNull();
    if (!m) return;
    const u = new Uint32Array(m.mem.buffer);
    const a = [0xffffffff, 0xd2511f53, 12345, 0x80000001];
    const b = [0xffffffff, 0xcd9e8d57, 0, 0x9e3779b9];
    u.set([...a, ...b]);
    m.fn();
    for (let q = 0; q < 4; q++) {
      const p = BigInt(a[q]) * BigInt(b[q]);
      expect(u[8 + q]).toBe(Number(p >> 32n));
      expect(u[12 + q]).toBe(Number(p & 0xffffffffn));
      expect(u[16 + q]).toBe(~(a[q] ^ b[q]) >>> 0);
    }
  });

  test("select picks its first operand when the condition is nonzero", () => {
    const { c: code, e } = emitter();
    e(i32c(0), i32c(11), i32c(22), get(0), SELECT, 0x36, 2, 0, END);
    const m = instantiate<(x: number) => void>(moduleBytes(1, "f", funcBody([], code)), "f", 1);
    expect(m).not.toBeNull();
    if (!m) return;
    const u = new Int32Array(m.mem.buffer);
    m.fn(1);
    expect(u[0]).toBe(11);
    m.fn(0);
    expect(u[0]).toBe(22);
  });

  test("a module the engine rejects gives null, not an exception", () => {
    expect(instantiate(new Uint8Array([0, 1, 2, 3]), "f")).toBeNull();
  });
});
