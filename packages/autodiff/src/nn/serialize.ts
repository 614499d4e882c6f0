// Parameter save/load: JSON (exact Float64 round trip) and NumPy .npy (one file per leaf).
import { tensor } from "../core/create.js";
import type { DType } from "../core/tensor.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { type Tree, type TreeLike, treeLeaves, treePaths } from "../transforms/tree.js";

interface LeafJson {
  __tensor__: true;
  shape: number[];
  dtype: DType;
  data: (number | string)[];
}

const enc = (v: number): number | string => (Number.isFinite(v) ? v : String(v));
const dec = (v: number | string): number => (typeof v === "number" ? v : Number(v));

/** Serialises a parameter tree to JSON; numbers round-trip exactly (non-finite values as strings). */
export function saveParams(tree: TreeLike): string {
  treeLeaves(tree, "saveParams.tree");
  const walk = (t: Tree): unknown => {
    if (t instanceof Tensor)
      return { __tensor__: true, shape: [...t.shape], dtype: t.dtype, data: Array.from(t._raw(), enc) };
    if (Array.isArray(t)) return t.map(walk);
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(t)) if (t[k] !== undefined) o[k] = walk(t[k]);
    return o;
  };
  return JSON.stringify(walk(tree as Tree));
}

/** Inverse of `saveParams`. */
export function loadParams(json: string): Tree {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new AutodiffInputError("loadParams.json", "JSON written by saveParams", "invalid JSON", String(e));
  }
  const walk = (v: unknown): Tree => {
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.__tensor__ === true) {
        const l = o as unknown as LeafJson;
        return tensor(l.data.map(dec), l.shape, l.dtype);
      }
      const r: { [k: string]: Tree } = {};
      for (const k of Object.keys(o)) r[k] = walk(o[k]);
      return r;
    }
    throw new AutodiffInputError("loadParams.json", "a tree of tensors written by saveParams", typeof v);
  };
  return walk(parsed);
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** One tensor as NumPy .npy bytes (format 1.0, little-endian, C order). */
export function toNpy(t: Tensor): Uint8Array {
  const descr = t.dtype === "float32" ? "<f4" : "<f8";
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += `${" ".repeat((64 - (total % 64)) % 64)}\n`;
  const data = t.dtype === "float32" ? Float32Array.from(t._raw()) : Float64Array.from(t._raw());
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const dv = new DataView(out.buffer, 10 + header.length);
  const w = t.dtype === "float32" ? 4 : 8;
  for (let i = 0; i < data.length; i++) {
    if (w === 8) dv.setFloat64(i * 8, data[i], true);
    else dv.setFloat32(i * 4, data[i], true);
  }
  return out;
}

/** Parses NumPy .npy bytes (versions 1–3, '<f8'/'<f4'/'>f8'/'>f4', C order). */
export function fromNpy(bytes: Uint8Array): Tensor {
  const bad = (why: string) =>
    new AutodiffInputError("fromNpy.bytes", "a C-order float32/float64 .npy file", why);
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) throw bad("bad magic");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + hlen));
  const descr = /'descr':\s*'([<>|]?)(f[48])'/.exec(header);
  const shapeM = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !shapeM) throw bad("unsupported header");
  if (/'fortran_order':\s*True/.test(header)) throw bad("fortran order");
  const shape = shapeM[1]
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const little = descr[1] !== ">";
  const w = descr[2] === "f8" ? 8 : 4;
  const n = shape.reduce((a, b) => a * b, 1);
  const off = start + hlen;
  if (bytes.length < off + n * w) throw bad("truncated data");
  const data = w === 8 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++)
    data[i] = w === 8 ? dv.getFloat64(off + i * 8, little) : dv.getFloat32(off + i * 4, little);
  return Tensor._of(data, shape);
}

/** A parameter tree as `{ "path": npyBytes }` (paths like `0.w`), e.g. to write `0.w.npy` files. */
export function saveParamsNpy(tree: TreeLike): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [p, t] of treePaths(tree)) out[p] = toNpy(t);
  return out;
}

/** Rebuilds a tree from `saveParamsNpy` output: numeric path parts become array indices. */
export function loadParamsNpy(files: Record<string, Uint8Array>): Tree {
  const root: { v?: unknown } = {};
  for (const [path, bytes] of Object.entries(files)) {
    const parts = path === "" ? [] : path.split(".");
    let parent: Record<string, unknown> = root as Record<string, unknown>;
    let key = "v";
    for (const part of parts) {
      if (parent[key] === undefined) parent[key] = /^\d+$/.test(part) ? [] : {};
      parent = parent[key] as Record<string, unknown>;
      key = part;
    }
    parent[key] = fromNpy(bytes);
  }
  if (root.v === undefined) throw new AutodiffInputError("loadParamsNpy.files", "at least one entry", 0);
  return root.v as Tree;
}
