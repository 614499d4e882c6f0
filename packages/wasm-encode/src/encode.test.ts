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
  I32_ADD,
  I32_EQ,
  I32_GE_S,
  I32_MUL,
  i32c,
  instantiate,
  LOOP,
  moduleBytes,
  set,
  sleb,
  slebBig,
  T_I32,
  uleb,
  V_LOAD,
  V_STORE,
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

  test("a module the engine rejects gives null, not an exception", () => {
    expect(instantiate(new Uint8Array([0, 1, 2, 3]), "f")).toBeNull();
  });
});
