// .npy bytes against the NumPy format specification (numpy.lib.format), written out by hand:
// "\x93NUMPY", major and minor version bytes, HEADER_LEN (little-endian uint16 in 1.0, uint32
// in 2.0 and 3.0), an ASCII (1.0, 2.0) or UTF-8 (3.0) dict literal padded with spaces and ended
// by "\n" so that magic + version + length field + header is a multiple of 64 bytes, then the
// data in C order (or Fortran order when 'fortran_order' is True).
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { refusalMessage } from "../testing/refusal.js";
import { decodeNpy, encodeNpy, type NpyArray } from "./npy.js";
import { readNpy, writeNpy } from "./npy-file.js";

const MAGIC = [0x93, ...Buffer.from("NUMPY", "latin1")];

/** A .npy file built from the spec: the header text is used as given (padding included). */
function npyFile(
  major: number,
  header: string,
  data: number[],
  encoding: "latin1" | "utf8" = "latin1",
): Uint8Array {
  const h = Buffer.from(header, encoding);
  const len =
    major === 1 ? [h.length & 0xff, h.length >> 8] : [0, 1, 2, 3].map((k) => (h.length >> (8 * k)) & 0xff);
  return Uint8Array.from([...MAGIC, major, 0, ...len, ...h, ...data]);
}

/** `dict` padded with spaces and "\n" to the spec's 64-byte alignment (prefix = 10 bytes for 1.0). */
const padded = (dict: string, prefix = 10) => `${dict}${" ".repeat(63 - ((prefix + dict.length) % 64))}\n`;

const LE_F8 = (x: number) => [...Buffer.from(Float64Array.of(x).buffer)];

describe(".npy writing follows the format specification", () => {
  it("writes magic, version 1.0, HEADER_LEN and the padded dict byte for byte", () => {
    const bytes = encodeNpy(Int16Array.of(1, -2, 3), [3]);
    // The dict is 57 characters; 10 + 57 + 1 = 68 rounds up to 128, so HEADER_LEN = 118 and the
    // dict is followed by 118 − 57 − 1 = 60 spaces and a newline.
    const dict = "{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }";
    expect(dict.length).toBe(57);
    const expected = [
      ...MAGIC,
      1,
      0,
      118,
      0,
      ...Buffer.from(`${dict}${" ".repeat(60)}\n`, "latin1"),
      1,
      0,
      0xfe,
      0xff,
      3,
      0,
    ];
    expect(Array.from(bytes)).toEqual(expected);
  });

  it("writes the shape tuple as Python does: (), (n,) and (a, b, c)", () => {
    const headerOf = (bytes: Uint8Array) =>
      Buffer.from(bytes.subarray(10, 10 + (bytes[8] | (bytes[9] << 8)))).toString("latin1");
    expect(headerOf(encodeNpy(Float32Array.of(2.5), []))).toBe(
      padded("{'descr': '<f4', 'fortran_order': False, 'shape': (), }"),
    );
    expect(headerOf(encodeNpy(new Uint8Array(4), [4]))).toBe(
      padded("{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }"),
    );
    expect(headerOf(encodeNpy(new BigInt64Array(24), [2, 3, 4]))).toBe(
      padded("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3, 4), }"),
    );
    expect(headerOf(encodeNpy(new Float64Array(0), [0]))).toBe(
      padded("{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }"),
    );
  });

  it("writes only the viewed part of a typed array that starts inside a larger buffer", () => {
    const buffer = Float64Array.of(9, 1.5, -2, 9).buffer;
    const bytes = encodeNpy(new Float64Array(buffer, 8, 2), [2]);
    expect(bytes.length).toBe(128 + 16);
    expect(Array.from(bytes.subarray(128))).toEqual([...LE_F8(1.5), ...LE_F8(-2)]);
  });

  // A |u1 array of shape (m, 1, 1, …, 1) with k dimensions has a dict of 53 + 3k + digits(m) − 1
  // characters: "{'descr': '|u1', 'fortran_order': False, 'shape': " is 51, ", }" is 3,
  // "(m, 1, …, 1)" is 3k − 1 + digits(m).
  function longHeader(dictLength: number): { bytes: Uint8Array; dict: string; m: number } {
    const rest = dictLength - 53;
    const k = Math.floor(rest / 3);
    const m = 10 ** (rest - 3 * k);
    const shape = [m, ...new Array<number>(k - 1).fill(1)];
    const dict = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(", ")}), }`;
    expect(dict.length).toBe(dictLength);
    const data = Uint8Array.from({ length: m }, (_, i) => i % 251);
    return { bytes: encodeNpy(data, shape), dict, m };
  }

  it("stays at version 1.0 while HEADER_LEN fits 16 bits, and only then uses 2.0 (32-bit length)", () => {
    // dict 65524: 10 + 65525 = 65535 → 65536, HEADER_LEN 65526 (one space of padding).
    let { bytes, dict, m } = longHeader(65524);
    expect(Array.from(bytes.subarray(6, 10))).toEqual([1, 0, 65526 & 0xff, 65526 >> 8]);
    expect(Buffer.from(bytes.subarray(10, 65536)).toString("latin1")).toBe(`${dict} \n`);
    expect(bytes.length).toBe(65536 + m);
    // dict 65525: dict + "\n" ends exactly at byte 65536, no padding; HEADER_LEN 65526 still fits.
    ({ bytes, dict, m } = longHeader(65525));
    expect(Array.from(bytes.subarray(6, 10))).toEqual([1, 0, 65526 & 0xff, 65526 >> 8]);
    expect(Buffer.from(bytes.subarray(10, 65536)).toString("latin1")).toBe(`${dict}\n`);
    expect(decodeNpy(bytes).shape[0]).toBe(m);
    // dict 65526: version 1.0 would need HEADER_LEN 65590 > 65535, so 2.0: 12 + 65527 → 65600.
    ({ bytes, dict, m } = longHeader(65526));
    expect(Array.from(bytes.subarray(6, 12))).toEqual([
      2,
      0,
      65588 & 0xff,
      (65588 >> 8) & 0xff,
      65588 >> 16,
      0,
    ]);
    expect(Buffer.from(bytes.subarray(12, 65600)).toString("latin1")).toBe(`${dict}${" ".repeat(61)}\n`);
    expect(bytes.length).toBe(65600 + m);
    // Read back through the 32-bit length (HEADER_LEN > 65535 differs from its low 16 bits).
    const back = decodeNpy(bytes);
    expect(back.shape.length).toBe(21824);
    expect(back.shape[0]).toBe(10);
    expect(Array.from(back.data as Uint8Array)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("refuses data that is not a supported typed array, and shapes that do not fit", () => {
    expect(refusalMessage(() => encodeNpy(new Uint8ClampedArray(2) as unknown as NpyArray, [2]))).toBe(
      "data: expected an integer or float typed array, got [object Uint8ClampedArray]",
    );
    expect(refusalMessage(() => encodeNpy([1, 2] as unknown as NpyArray, [2]))).toBe(
      "data: expected an integer or float typed array, got [object Array]",
    );
    expect(refusalMessage(() => encodeNpy(Float64Array.of(1, 2, 3), [2, 2]))).toBe(
      "shape: expected dimensions whose product is data.length = 3, got (2, 2)",
    );
    expect(refusalMessage(() => encodeNpy(Float64Array.of(1, 2, 3), [3, 1.5]))).toBe(
      "shape[1]: expected an integer >= 0, got 1.5",
    );
    expect(refusalMessage(() => encodeNpy(Float64Array.of(1, 2), [2, -1, -1]))).toBe(
      "shape[1]: expected an integer >= 0, got -1",
    );
    expect(refusalMessage(() => encodeNpy(Float64Array.of(1), [2]))).toBe(
      "shape: expected dimensions whose product is data.length = 1, got (2)",
    );
  });
});

describe(".npy reading follows the format specification", () => {
  const f8 = (shape: string) => padded(`{'descr': '<f8', 'fortran_order': False, 'shape': ${shape}, }`);

  it("reads headers with any spacing, Python 2 long integers and versions 1.0, 2.0, 3.0", () => {
    const data = [...LE_F8(0.5), ...LE_F8(-3)];
    for (const header of [
      "{'descr':'<f8','fortran_order':False,'shape':(2,)}\n",
      "{ 'descr' : '<f8' ,  'fortran_order' : False , 'shape' : ( 2 , ) }     \n",
      "{'shape': (2L,), 'fortran_order': False, 'descr': '<f8'}\n",
    ]) {
      const r = decodeNpy(npyFile(1, header, data));
      expect(r.shape).toEqual([2]);
      expect(Array.from(r.data as Float64Array)).toEqual([0.5, -3]);
    }
    for (const major of [2, 3]) {
      const r = decodeNpy(
        npyFile(major, padded("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", 12), data),
      );
      expect(r.shape).toEqual([1, 2]);
      expect(Array.from(r.data as Float64Array)).toEqual([0.5, -3]);
    }
  });

  it("decodes version 3.0 headers as UTF-8 and older ones as Latin-1", () => {
    const header = "{'descr': 'é', 'fortran_order': False, 'shape': (1,), }\n";
    const allowed = "one of |i1, |u1, <i2, <u2, <i4, <u4, <f4, <f8, <i8, <u8 (or |b1, >…)";
    expect(refusalMessage(() => decodeNpy(npyFile(3, header, [0], "utf8")))).toBe(
      `npy dtype: expected ${allowed}, got é`,
    );
    expect(refusalMessage(() => decodeNpy(npyFile(1, header, [0], "latin1")))).toBe(
      `npy dtype: expected ${allowed}, got é`,
    );
    // The UTF-8 bytes read as Latin-1 are two characters.
    expect(refusalMessage(() => decodeNpy(npyFile(1, header, [0], "utf8")))).toBe(
      `npy dtype: expected ${allowed}, got Ã©`,
    );
  });

  it("converts byte orders: '>' reversed per element, '=' and '<' as is, one-byte types to '|'", () => {
    const be = decodeNpy(
      npyFile(
        1,
        padded("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }"),
        [0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0],
      ),
    );
    expect(be.dtype).toBe("<f8");
    expect(Array.from(be.data as Float64Array)).toEqual([1.5, -2]);
    const be8 = decodeNpy(
      npyFile(
        1,
        padded("{'descr': '>i8', 'fortran_order': False, 'shape': (1,), }"),
        [0, 0, 0, 0, 0, 0, 1, 5],
      ),
    );
    expect(Array.from(be8.data as BigInt64Array)).toEqual([261n]);
    const native = decodeNpy(
      npyFile(1, padded("{'descr': '=u2', 'fortran_order': False, 'shape': (2,), }"), [1, 2, 0xff, 0xff]),
    );
    expect(native.dtype).toBe("<u2");
    expect(Array.from(native.data as Uint16Array)).toEqual([0x0201, 65535]);
    const cases: [string, string, new (n: number) => NpyArray, number[]][] = [
      ["<i1", "|i1", Int8Array, [-1, 2]],
      ["<u1", "|u1", Uint8Array, [255, 2]],
      [">u1", "|u1", Uint8Array, [255, 2]],
      ["|b1", "|b1", Uint8Array, [255, 2]],
    ];
    for (const [descr, dtype, ctor, values] of cases) {
      const r = decodeNpy(
        npyFile(1, padded(`{'descr': '${descr}', 'fortran_order': False, 'shape': (2,), }`), [0xff, 2]),
      );
      expect([r.dtype, r.data.constructor]).toEqual([dtype, ctor]);
      expect(Array.from(r.data as Uint8Array)).toEqual(values);
    }
  });

  it("reorders Fortran-order data: element (i, j, k) of shape (2, 3, 4) is stored at i + 2j + 6k", () => {
    const fortran = new Array<number>(24);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < 4; k++) fortran[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
    const r = decodeNpy(
      npyFile(1, padded("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3, 4), }"), fortran),
    );
    const c: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) c.push(100 * i + 10 * j + k);
    expect(Array.from(r.data as Uint8Array)).toEqual(c);
    const one = decodeNpy(
      npyFile(1, padded("{'descr': '|u1', 'fortran_order': True, 'shape': (3,), }"), [7, 8, 9]),
    );
    expect(Array.from(one.data as Uint8Array)).toEqual([7, 8, 9]);
  });

  it("reads exactly the data the shape needs, from a file that starts inside a larger buffer", () => {
    const file = npyFile(1, f8("(2,)"), [...LE_F8(1), ...LE_F8(2), 1, 2, 3]);
    expect(Array.from(decodeNpy(file).data as Float64Array)).toEqual([1, 2]);
    const big = new Uint8Array(file.length + 5).fill(0xaa);
    big.set(file, 3);
    expect(Array.from(decodeNpy(big.subarray(3, 3 + file.length)).data as Float64Array)).toEqual([1, 2]);
    expect(Array.from(decodeNpy(npyFile(1, f8("(1,)"), LE_F8(4))).data as Float64Array)).toEqual([4]);
    expect(decodeNpy(npyFile(1, f8("(0, 3)"), [])).shape).toEqual([0, 3]);
  });

  it("refuses every malformed file with a one-line message naming what is wrong", () => {
    const magicMsg = (n: number, head: string) =>
      `npy bytes: expected a file starting with \\x93NUMPY, got ${n} bytes starting with "${head}"`;
    expect(refusalMessage(() => decodeNpy(Uint8Array.from([...MAGIC, 1, 0, 0])))).toBe(
      magicMsg(9, "\\x93NUMPY"),
    );
    const wrong = npyFile(1, f8("(1,)"), LE_F8(1));
    wrong[5] = 0x58; // "\x93NUMPX"
    expect(refusalMessage(() => decodeNpy(wrong))).toBe(magicMsg(wrong.length, "\\x93NUMPX"));
    // A text file shows its first characters, not only its length.
    expect(refusalMessage(() => decodeNpy(new TextEncoder().encode("not json at all\n")))).toBe(
      magicMsg(16, "not js"),
    );
    const noDict = "npy header: expected a dict with 'descr', 'fortran_order' and 'shape', got";
    expect(refusalMessage(() => decodeNpy(Uint8Array.from([...MAGIC, 1, 0, 0, 0])))).toBe(`${noDict} `);
    for (const v of [0, 4]) {
      expect(refusalMessage(() => decodeNpy(npyFile(v, f8("(1,)"), LE_F8(1))))).toBe(
        `npy version: expected 1, 2 or 3, got ${v}`,
      );
    }
    for (const dict of [
      "{'fortran_order': False, 'shape': (1,), }",
      "{'descr': '<f8', 'shape': (1,), }",
      "{'descr': '<f8', 'fortran_order': False, }",
    ]) {
      expect(refusalMessage(() => decodeNpy(npyFile(1, padded(dict), LE_F8(1))))).toBe(`${noDict} ${dict}`);
    }
    expect(refusalMessage(() => decodeNpy(npyFile(1, f8("(2, -1)"), [])))).toBe(
      "npy header shape: expected a tuple of non-negative integers, got 2, -1",
    );
    expect(refusalMessage(() => decodeNpy(npyFile(1, f8("(1.5,)"), [])))).toBe(
      "npy header shape: expected a tuple of non-negative integers, got 1.5,",
    );
    // Only a trailing L (Python 2 long) is dropped.
    expect(refusalMessage(() => decodeNpy(npyFile(1, f8("(1L2,)"), [])))).toBe(
      "npy header shape: expected a tuple of non-negative integers, got 1L2,",
    );
    expect(
      refusalMessage(() =>
        decodeNpy(npyFile(1, padded("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }"), [])),
      ),
    ).toBe(
      "npy dtype: expected one of |i1, |u1, <i2, <u2, <i4, <u4, <f4, <f8, <i8, <u8 (or |b1, >…), got <c16",
    );
    expect(refusalMessage(() => decodeNpy(npyFile(1, f8("(2, 3)"), new Array(47).fill(0))))).toBe(
      "npy data: expected 48 bytes for shape (2, 3), got 47",
    );
  });
});

describe("writeNpy and readNpy", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("write the encoded bytes under the name given and leave no temporary file when writing fails", async () => {
    const dir = await mkdtemp(join(tmpdir(), "physml-npy-format-"));
    dirs.push(dir);
    const data = Int32Array.of(3, -4, 5, 6);
    await writeNpy(join(dir, "a.npy"), data, [2, 2]);
    expect(Array.from(await readFile(join(dir, "a.npy")))).toEqual(Array.from(encodeNpy(data, [2, 2])));
    const back = await readNpy(join(dir, "a.npy"));
    expect([back.dtype, back.shape, Array.from(back.data as Int32Array)]).toEqual([
      "<i4",
      [2, 2],
      [3, -4, 5, 6],
    ]);
    // The target is a non-empty directory: the rename fails, the temporary file is removed.
    await mkdir(join(dir, "taken"));
    await writeNpy(join(dir, "taken", "inner.npy"), data, [4]);
    await expect(writeNpy(join(dir, "taken"), data, [4])).rejects.toMatchObject({
      code: expect.stringMatching(/^E/),
    });
    expect((await readdir(dir)).sort()).toEqual(["a.npy", "taken"]);
    await expect(writeNpy(join(dir, "missing", "b.npy"), data, [4])).rejects.toMatchObject({
      code: "ENOENT",
    });
    await expect(readNpy(join(dir, "none.npy"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("with a field, an unreadable or malformed file is an error of that field naming the path", async () => {
    const dir = await mkdtemp(join(tmpdir(), "physml-npy-field-"));
    dirs.push(dir);
    const missing = join(dir, "none.npy");
    await expect(readNpy(missing, "samples")).rejects.toMatchObject({
      name: "PhysmlInputError",
      field: "samples",
      received: missing,
      detail: "ENOENT",
    });
    // not a .npy file: the decoder's own error in brackets
    const text = join(dir, "text.npy");
    await writeFile(text, "hello\n");
    const decoderSays = (() => {
      try {
        decodeNpy(new TextEncoder().encode("hello\n"));
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    })();
    expect(decoderSays).toMatch(/^npy bytes: /);
    await expect(readNpy(text, "labels")).rejects.toMatchObject({
      field: "labels",
      received: text,
      detail: decoderSays,
      message: `labels: expected a .npy file (NumPy format version 1 to 3), got ${text} (${decoderSays})`,
    });
  });
});
