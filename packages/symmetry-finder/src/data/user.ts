// User data: points and labels from .npy files (points [n, dim] of any float or integer dtype,
// labels [n] of integers 0…C−1).
import { PhysmlInputError, readNpy } from "@physml/lattice-core";
import type { LabelledPoints } from "./sample.js";

/**
 * Reads `points.npy` ([n, dim]) and `labels.npy` ([n], integers ≥ 0) into labelled points. A file
 * that cannot be read or decoded is an error of `group` (the points) or `labels`, naming it.
 */
export async function readLabelledPoints(pointsPath: string, labelsPath: string): Promise<LabelledPoints> {
  const p = await readNpy(pointsPath, "group");
  const l = await readNpy(labelsPath, "labels");
  if (p.shape.length !== 2 || p.shape[0] < 1 || p.shape[1] < 1) {
    throw new PhysmlInputError("points", "a .npy array of shape [n, dim] with n, dim ≥ 1", `(${p.shape})`);
  }
  const [n, dim] = p.shape;
  if (l.shape.length !== 1 || l.shape[0] !== n) {
    throw new PhysmlInputError("labels", `a .npy array of shape [${n}]`, `(${l.shape})`);
  }
  const x = Float64Array.from(p.data as ArrayLike<number>, Number);
  const labels = new Int32Array(n);
  let classes = 0;
  for (let i = 0; i < n; i++) {
    const v = Number(l.data[i]);
    if (!Number.isInteger(v) || v < 0) throw new PhysmlInputError(`labels[${i}]`, "an integer >= 0", v);
    labels[i] = v;
    classes = Math.max(classes, v + 1);
  }
  if (x.some((v) => !Number.isFinite(v)))
    throw new PhysmlInputError("points", "finite numbers", "NaN/Infinity");
  return { x, labels, n, dim, classes };
}
