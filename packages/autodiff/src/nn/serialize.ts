// Parameter save/load: JSON (exact Float64 round trip) and NumPy .npy (one file per leaf).
import { decodeNpy, encodeNpy } from "@physml/lattice-core";
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

const shapesOf = (t: TreeLike): string =>
  treePaths(t)
    .map(([p, x]) => `${p}[${x.shape.join("×")}]`)
    .join(" ");

/**
 * `params` when every leaf's path and shape match `template`'s (e.g. parameters handed in to
 * continue a freshly built model); an AutodiffInputError naming `field` and the model's shapes
 * otherwise.
 */
export function checkParamsLike<P extends TreeLike>(params: TreeLike, template: P, field: string): P {
  const want = shapesOf(template);
  const got = shapesOf(params);
  if (got !== want) throw new AutodiffInputError(field, `the model's parameters ${want}`, got);
  return params as P;
}

/**
 * Reads parameters written by `saveParams` that are to continue `template` (e.g. a checkpoint's,
 * for a freshly built model): see {@link checkParamsLike}. Throws an AutodiffInputError naming
 * `field` otherwise.
 */
export function loadParamsLike<P extends TreeLike>(json: unknown, template: P, field: string): P {
  let params: Tree;
  try {
    params = loadParams(String(json));
  } catch (e) {
    throw new AutodiffInputError(
      field,
      "parameters written by saveParams",
      typeof json,
      (e as Error).message,
    );
  }
  return checkParamsLike(params, template, field);
}

/**
 * One tensor as NumPy .npy bytes (format 1.0, little-endian, C order), through lattice-core's
 * codec, the one .npy implementation of the workspace.
 */
export function toNpy(t: Tensor): Uint8Array {
  const data = t.dtype === "float32" ? Float32Array.from(t._raw()) : Float64Array.from(t._raw());
  return encodeNpy(data, t.shape);
}

/** Parses NumPy .npy bytes (versions 1–3, float32/float64, either byte order or memory order). */
export function fromNpy(bytes: Uint8Array): Tensor {
  let file: ReturnType<typeof decodeNpy>;
  try {
    file = decodeNpy(bytes);
  } catch (e) {
    throw new AutodiffInputError("fromNpy.bytes", "a float32/float64 .npy file", (e as Error).message);
  }
  const { data, shape } = file;
  if (!(data instanceof Float64Array || data instanceof Float32Array)) {
    throw new AutodiffInputError("fromNpy.bytes", "a float32/float64 .npy file", file.dtype);
  }
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
