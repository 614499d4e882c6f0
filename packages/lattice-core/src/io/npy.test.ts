import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PhysmlInputError } from "../errors.js";
import { decodeNpy, encodeNpy, type NpyArray, npyDtype, npyHeader, npyItemBytes } from "./npy.js";
import { readNpy, writeNpy } from "./npy-file.js";

// Files written by NumPy 2.4 with np.save (generated once, kept as an independent reference).
const NUMPY_FILES: Record<string, string> = {
  f8: "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAANA/AAAAAAAA4D8AAAAAAADoPwAAAAAAAPA/AAAAAAAA9D8=",
  i1: "k05VTVBZAQB2AHsnZGVzY3InOiAnfGkxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoB/wH//wE=",
  fortran:
    "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAwAAAAEAAAAEAAAAAgAAAAUAAAA=",
  be: "k05VTVBZAQB2AHsnZGVzY3InOiAnPmk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAB/////gAAASw=",
  bool: "k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAE=",
  scalar:
    "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAACBA",
};
const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, "base64"));

const dir = mkdtempSync(join(tmpdir(), "physml-npy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hasNumpy(): boolean {
  try {
    execFileSync("python3", ["-c", "import numpy"], { stdio: "ignore", timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

describe("NumPy .npy I/O", () => {
  const cases: [NpyArray, number[], string][] = [
    [Int8Array.of(1, -1, -1, 1, 1, -1), [2, 3], "|i1"],
    [Uint8Array.of(0, 255, 7), [3], "|u1"],
    [Int16Array.of(-300, 2), [2, 1], "<i2"],
    [Uint16Array.of(65535), [1], "<u2"],
    [Int32Array.from({ length: 24 }, (_, i) => i - 12), [2, 3, 4], "<i4"],
    [Uint32Array.of(4294967295, 1), [2], "<u4"],
    [Float32Array.of(1.5, -2.25, 3), [3], "<f4"],
    [Float64Array.of(Math.PI, -0, 1e-300, 6.02e23), [2, 2], "<f8"],
    [BigInt64Array.of(-(2n ** 62n), 5n), [2], "<i8"],
    [BigUint64Array.of(2n ** 63n), [1], "<u8"],
    [Float64Array.of(7), [], "<f8"],
    [new Float64Array(0), [0, 3], "<f8"],
  ];

  it("round-trips data, shape and dtype for every supported type", () => {
    for (const [data, shape, dtype] of cases) {
      const bytes = encodeNpy(data, shape);
      const back = decodeNpy(bytes);
      expect(back.dtype).toBe(dtype);
      expect(back.shape).toEqual(shape);
      expect(back.data.constructor).toBe(data.constructor);
      expect(Array.from(back.data as ArrayLike<number | bigint>)).toEqual(
        Array.from(data as ArrayLike<number | bigint>),
      );
    }
  });

  it("writes a valid version-1.0 header aligned to 64 bytes, byte-identical to NumPy's own", () => {
    const bytes = encodeNpy(
      Float64Array.from({ length: 6 }, (_, i) => i / 4),
      [2, 3],
    );
    const headerLen = bytes[8] | (bytes[9] << 8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(bytes[10 + headerLen - 1]).toBe(0x0a);
    expect(Buffer.from(bytes).equals(Buffer.from(fromB64(NUMPY_FILES.f8)))).toBe(true);
    const spins = encodeNpy(Int8Array.of(1, -1, 1, -1, -1, 1), [2, 3]);
    expect(Buffer.from(spins).equals(Buffer.from(fromB64(NUMPY_FILES.i1)))).toBe(true);
  });

  it("reads NumPy files, including Fortran order, big-endian, bool and 0-d arrays", () => {
    expect(Array.from(decodeNpy(fromB64(NUMPY_FILES.fortran)).data as Int32Array)).toEqual([
      0, 1, 2, 3, 4, 5,
    ]);
    const be = decodeNpy(fromB64(NUMPY_FILES.be));
    expect(be.dtype).toBe("<i4");
    expect(Array.from(be.data as Int32Array)).toEqual([1, -2, 300]);
    const b = decodeNpy(fromB64(NUMPY_FILES.bool));
    expect(b.dtype).toBe("|b1");
    expect(Array.from(b.data as Uint8Array)).toEqual([1, 0, 1]);
    const s = decodeNpy(fromB64(NUMPY_FILES.scalar));
    expect(s.shape).toEqual([]);
    expect(Array.from(s.data as Float32Array)).toEqual([2.5]);
  });

  it("writes atomically (no temporary file left) and reads back", async () => {
    const path = join(dir, "spins.npy");
    const data = Int8Array.from({ length: 64 }, (_, i) => (i % 3 === 0 ? -1 : 1));
    await writeNpy(path, data, [4, 4, 4]);
    expect(readdirSync(dir)).toEqual(["spins.npy"]);
    const back = await readNpy(path);
    expect(back.shape).toEqual([4, 4, 4]);
    expect(back.data).toEqual(data);
  });

  it.skipIf(!hasNumpy())("NumPy itself loads what we write (optional: python3 with numpy)", async () => {
    const path = join(dir, "check.npy");
    await writeNpy(path, Float64Array.of(0.5, -1, 2, 3, 4, 5), [3, 2]);
    const out = execFileSync(
      "python3",
      ["-c", "import numpy,sys;a=numpy.load(sys.argv[1]);print(a.dtype,a.shape,float(a.sum()),a[2,1])", path],
      { encoding: "utf8", timeout: 20_000 },
    );
    expect(out.trim()).toBe("float64 (3, 2) 13.5 5.0");
  });

  it("bad input: shape mismatch, unsupported dtype, corrupt bytes", () => {
    expect(() => encodeNpy(Float64Array.of(1, 2, 3), [2, 2])).toThrow(PhysmlInputError);
    expect(() => encodeNpy(Float64Array.of(1, 2, 3), [2, 2])).toThrow(
      /shape: expected dimensions whose product/,
    );
    expect(() => encodeNpy(Float64Array.of(1, 2), [-2, -1])).toThrow(/shape\[0\]/);
    expect(() => decodeNpy(Uint8Array.of(1, 2, 3))).toThrow(/npy bytes/);
    const complex = encodeNpy(Float64Array.of(1, 2), [2]);
    const text = Buffer.from(complex).toString("latin1").replace("<f8", "<c8");
    expect(() => decodeNpy(new Uint8Array(Buffer.from(text, "latin1")))).toThrow(/npy dtype/);
    expect(() => decodeNpy(complex.subarray(0, complex.length - 3))).toThrow(/npy data/);
  });

  it("npyHeader is the bytes before the data of every encoded file; npyDtype names the type", () => {
    for (const [data, shape] of [
      [new Float64Array(6), [2, 3]],
      [new Int8Array(5), [5]],
      [new Uint16Array(0), [0, 4]],
      [new Float32Array(24), [2, 3, 4]],
    ] as [NpyArray, number[]][]) {
      const bytes = encodeNpy(data, shape);
      const header = npyHeader(npyDtype(data), shape);
      expect(header.length % 64).toBe(0);
      expect(header).toEqual(bytes.subarray(0, bytes.length - data.byteLength));
    }
    expect(npyDtype(new Float64Array(1))).toBe("<f8");
    expect(() => npyHeader("<f8", [2, -1])).toThrow(PhysmlInputError);
  });

  it("npyItemBytes is each supported type's element size; other dtypes are refused naming descr", () => {
    for (const a of [
      new Int8Array(1),
      new Uint8Array(1),
      new Int16Array(1),
      new Uint16Array(1),
      new Int32Array(1),
      new Uint32Array(1),
      new Float32Array(1),
      new Float64Array(1),
      new BigInt64Array(1),
      new BigUint64Array(1),
    ] as NpyArray[])
      expect(npyItemBytes(npyDtype(a))).toBe(a.BYTES_PER_ELEMENT);
    expect(() => npyItemBytes(">f8")).toThrow(/^descr: expected one of/);
    expect(() => npyItemBytes("|b1")).toThrow(PhysmlInputError);
  });
});
