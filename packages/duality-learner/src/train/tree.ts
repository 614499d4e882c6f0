// JSON encoding of parameter and optimiser-state trees that hold autodiff tensors, for
// checkpoints: a tensor becomes { "$tensor": [...values], "shape": [...] }.
import { type Tensor, tensor } from "@physml/autodiff";

function isTensor(v: unknown): v is Tensor {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as Tensor).toFloat64Array === "function" &&
    Array.isArray((v as Tensor).shape)
  );
}

/** Converts a tree (objects, arrays, tensors, numbers, strings, booleans, null) to plain JSON. */
export function encodeTree(v: unknown): unknown {
  if (isTensor(v)) return { $tensor: Array.from(v.toFloat64Array()), shape: [...v.shape] };
  if (Array.isArray(v)) return v.map(encodeTree);
  if (v instanceof Float64Array)
    return { $f64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  if (v instanceof Int8Array)
    return { $i8: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeTree(x)]));
  }
  return v;
}

/** Inverse of {@link encodeTree}. */
export function decodeTree(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeTree);
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.$tensor))
      return tensor(Float64Array.from(o.$tensor as number[]), o.shape as number[]);
    if (typeof o.$f64 === "string") {
      const b = Buffer.from(o.$f64, "base64");
      return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    }
    if (typeof o.$i8 === "string") {
      const b = Buffer.from(o.$i8, "base64");
      return new Int8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeTree(x)]));
  }
  return v;
}

/** Elementwise sum of two trees of the same structure (tensors added, others taken from `a`). */
export function addTrees<T>(a: T, b: T, add: (x: Tensor, y: Tensor) => Tensor): T {
  if (isTensor(a)) return add(a, b as Tensor) as T;
  if (Array.isArray(a)) return a.map((x, i) => addTrees(x, (b as unknown[])[i], add)) as T;
  if (typeof a === "object" && a !== null) {
    return Object.fromEntries(
      Object.entries(a).map(([k, x]) => [k, addTrees(x, (b as Record<string, unknown>)[k], add)]),
    ) as T;
  }
  return a;
}
