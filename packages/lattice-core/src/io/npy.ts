// NumPy .npy format (versions 1.0–3.0 read, 1.0 written unless the header needs 2.0):
// magic "\x93NUMPY", version bytes, little-endian header length, then an ASCII Python dict
// {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), } padded with spaces and a final
// newline so that the data starts at a multiple of 64 bytes, then the raw data in C order.
import { PhysmlInputError } from "../errors.js";

/** Typed arrays that map one-to-one onto NumPy dtypes. */
export type NpyArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** NumPy dtype of each supported array type ("|" = no byte order, for one-byte types). */
const DTYPES: [string, new (n: number) => NpyArray, number][] = [
  ["|i1", Int8Array, 1],
  ["|u1", Uint8Array, 1],
  ["<i2", Int16Array, 2],
  ["<u2", Uint16Array, 2],
  ["<i4", Int32Array, 4],
  ["<u4", Uint32Array, 4],
  ["<f4", Float32Array, 4],
  ["<f8", Float64Array, 8],
  ["<i8", BigInt64Array, 8],
  ["<u8", BigUint64Array, 8],
];

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function dtypeOf(data: NpyArray): string {
  for (const [d, ctor] of DTYPES) if (data instanceof ctor) return d;
  throw new PhysmlInputError("data", "an integer or float typed array", Object.prototype.toString.call(data));
}

/** Each dimension a whole number ≥ 0; the product of them. */
function checkDims(shape: readonly number[]): number {
  let size = 1;
  for (const [k, n] of shape.entries()) {
    if (!Number.isInteger(n) || n < 0) throw new PhysmlInputError(`shape[${k}]`, "an integer >= 0", n);
    size *= n;
  }
  return size;
}

function checkShape(shape: readonly number[], length: number): void {
  const size = checkDims(shape);
  if (size !== length) {
    throw new PhysmlInputError(
      "shape",
      `dimensions whose product is data.length = ${length}`,
      `(${shape.join(", ")})`,
    );
  }
}

/**
 * The header of a .npy file holding an array of NumPy dtype `descr` (e.g. "<f8") and `shape`, C
 * order: the bytes before the data, whose length is a multiple of 64. What {@link encodeNpy}
 * writes first; a file filled in pieces (written as its data is computed) starts with it.
 */
export function npyHeader(descr: string, shape: readonly number[]): Uint8Array {
  checkDims(shape);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Version 1.0 (magic 6 + version 2 + uint16 length) unless its padded header length does not
  // fit 16 bits; then 2.0 (uint32 length).
  const padded = (prefix: number) => Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const version = padded(10) - 10 <= 65535 ? 1 : 2;
  const prefix = version === 1 ? 10 : 12;
  const total = padded(prefix);
  const headerLen = total - prefix;
  const header = `${dict}${" ".repeat(headerLen - dict.length - 1)}\n`;
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerLen, true);
  else view.setUint32(8, headerLen, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  return out;
}

/** The NumPy dtype of a typed array ("<f8" for a Float64Array, "|i1" for an Int8Array, …). */
export function npyDtype(data: NpyArray): string {
  return dtypeOf(data);
}

/** Bytes of one element of the NumPy dtype `descr` ("<f8" → 8, "|i1" → 1), one this module reads and writes. */
export function npyItemBytes(descr: string): number {
  const row = DTYPES.find(([d]) => d === descr);
  if (!row) throw new PhysmlInputError("descr", `one of ${DTYPES.map(([d]) => d).join(", ")}`, descr);
  return row[2];
}

/** Encodes `data` (C order, little-endian) with the given shape as the bytes of a .npy file. */
export function encodeNpy(data: NpyArray, shape: readonly number[]): Uint8Array {
  const header = npyHeader(dtypeOf(data), shape);
  checkShape(shape, data.length);
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  // Typed arrays are in platform byte order; every supported platform (x86, ARM) is little-endian.
  out.set(body, header.length);
  return out;
}

function parseHeader(text: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new PhysmlInputError("npy header", "a dict with 'descr', 'fortran_order' and 'shape'", text.trim());
  }
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number(s.replace(/L$/, "")));
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new PhysmlInputError("npy header shape", "a tuple of non-negative integers", shapeText);
  }
  return { descr, fortran: fortran === "True", shape };
}

/** Reorders Fortran-order (column-major) data into C order. */
function fortranToC(src: NpyArray, shape: number[]): NpyArray {
  const out = new (src.constructor as new (n: number) => NpyArray)(src.length);
  const d = shape.length;
  const idx = new Array<number>(d).fill(0);
  const fStride = new Array<number>(d);
  for (let k = 0, s = 1; k < d; k++) {
    fStride[k] = s;
    s *= shape[k];
  }
  for (let c = 0; c < src.length; c++) {
    let f = 0;
    for (let k = 0; k < d; k++) f += idx[k] * fStride[k];
    out[c] = src[f] as never;
    for (let k = d - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** Decodes the bytes of a .npy file; big-endian and Fortran-order files are converted. */
export function decodeNpy(bytes: Uint8Array): { data: NpyArray; shape: number[]; dtype: string } {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    // What the file holds, not just its length: a text file or another format shows at once.
    const head = Array.from(bytes.subarray(0, MAGIC.length), (b) =>
      b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`,
    ).join("");
    throw new PhysmlInputError(
      "npy bytes",
      "a file starting with \\x93NUMPY",
      `${bytes.length} bytes starting with "${head}"`,
    );
  }
  const major = bytes[6];
  if (major < 1 || major > 3) throw new PhysmlInputError("npy version", "1, 2 or 3", major);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefix = major === 1 ? 10 : 12;
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(prefix, prefix + headerLen),
  );
  const { descr, fortran, shape } = parseHeader(header);
  const order = descr[0];
  const base = `${order === ">" || order === "=" ? "<" : order}${descr.slice(1)}`;
  const norm = base === "|b1" ? "|u1" : base.replace(/^<([iu]1)$/, "|$1");
  const entry = DTYPES.find(([d]) => d === norm);
  if (!entry) {
    throw new PhysmlInputError(
      "npy dtype",
      `one of ${DTYPES.map(([d]) => d).join(", ")} (or |b1, >…)`,
      descr,
    );
  }
  const [, ctor, width] = entry;
  const length = shape.reduce((a, b) => a * b, 1);
  const start = prefix + headerLen;
  if (bytes.length - start < length * width) {
    throw new PhysmlInputError(
      "npy data",
      `${length * width} bytes for shape (${shape.join(", ")})`,
      bytes.length - start,
    );
  }
  const raw = bytes.slice(start, start + length * width);
  if (order === ">" && width > 1) {
    for (let i = 0; i < raw.length; i += width) raw.subarray(i, i + width).reverse();
  }
  let data = new ctor(length);
  new Uint8Array(data.buffer).set(raw);
  if (fortran && shape.length > 1) data = fortranToC(data, shape);
  return { data, shape, dtype: descr === "|b1" ? "|b1" : norm };
}
