// A sweep's grid: axes given as `key=lo:hi:step` (inclusive, float-safe) or `key=a,b,c`,
// expanded into points (the Cartesian product, the last axis varying fastest), each with a
// directory name that says its values and never collides with another point's.
import { PhysmlInputError } from "@physml/lattice-core";

/** A value on a grid axis: a number when every item of the axis is one, else text. */
export type GridValue = number | string;

/** One axis of a grid. */
export interface GridAxis {
  key: string;
  /** The spec as given (after `key=`). */
  spec: string;
  values: GridValue[];
}

/** One point of a grid: its position in the expansion, its directory name and its values. */
export interface GridPoint {
  index: number;
  name: string;
  params: Record<string, GridValue>;
}

/** The most points one sweep may hold (a Slurm array is bounded much lower by MaxArraySize). */
export const MAX_GRID_POINTS = 100_000;

const KEY = /^[A-Za-z][A-Za-z0-9-]*$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const ALLOWED = "key=lo:hi:step (inclusive, step > 0) or key=a,b,c (distinct values)";

const asNumber = (s: string): number | null => {
  if (!DECIMAL.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
};

/** Decimal places a decimal literal carries (`0.05` → 2, `1e-3` → 3, `2.5e1` → 0). */
function decimals(s: string): number {
  const m = /^[+-]?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(s);
  if (!m) return 0;
  return Math.max(0, (m[2]?.length ?? 0) - Number(m[3] ?? 0));
}

/**
 * lo, lo + step, … up to hi inclusive. Each value is computed as lo + k·step and rounded to the
 * decimals of the literals, so `0.1:0.8:0.05` gives 0.15 (not 0.15000000000000002) and ends at
 * exactly 0.8 (hi is included when it lies on the grid within rounding).
 */
function range(spec: string, field: string): number[] {
  const parts = spec.split(":");
  const nums = parts.map(asNumber);
  if (parts.length !== 3 || nums.some((v) => v === null)) throw new PhysmlInputError(field, ALLOWED, spec);
  const [lo, hi, step] = nums as number[];
  if (!(step > 0)) throw new PhysmlInputError(field, ALLOWED, spec, "the step must be > 0");
  if (hi < lo) throw new PhysmlInputError(field, ALLOWED, spec, "hi must not be below lo");
  const places = Math.min(15, Math.max(...parts.map(decimals)));
  const n = Math.floor((hi - lo) / step + 1e-9) + 1;
  if (n > MAX_GRID_POINTS) {
    throw new PhysmlInputError(field, `at most ${MAX_GRID_POINTS} values per axis`, spec, `${n} values`);
  }
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push(Number((lo + k * step).toFixed(places)));
  if (out.some((v, k) => k > 0 && !(v > out[k - 1]))) {
    throw new PhysmlInputError(field, ALLOWED, spec, "the step is below the precision of the values");
  }
  return out;
}

/** Parses one `--grid` argument, e.g. `beta=0.1:0.8:0.05` or `seed=1,2,3` or `backend=cpu,webgpu`. */
export function parseGridAxis(arg: string, field = "grid"): GridAxis {
  const eq = arg.indexOf("=");
  const key = eq < 0 ? "" : arg.slice(0, eq).replace(/^--/, "");
  const spec = eq < 0 ? "" : arg.slice(eq + 1);
  if (!KEY.test(key) || spec === "") throw new PhysmlInputError(field, ALLOWED, arg);
  if (spec.includes(":")) return { key, spec, values: range(spec, `${field} ${key}`) };
  const items = spec.split(",").map((s) => s.trim());
  if (items.some((s) => s === ""))
    throw new PhysmlInputError(`${field} ${key}`, ALLOWED, spec, "an empty value");
  const nums = items.map(asNumber);
  const values: GridValue[] = nums.every((v) => v !== null)
    ? (nums as number[]).map((v) => (Object.is(v, -0) ? 0 : v))
    : items;
  const seen = new Set<string>();
  for (const v of values) {
    const s = String(v);
    if (seen.has(s)) throw new PhysmlInputError(`${field} ${key}`, ALLOWED, spec, `${s} is given twice`);
    seen.add(s);
  }
  return { key, spec, values };
}

/**
 * A value as it appears on a command line and in a directory name: numbers in JavaScript's
 * shortest round-trip form (distinct numbers give distinct text: 0.3001 and 0.3004 stay apart).
 */
export const formatGridValue = (v: GridValue): string => String(v);

// Injective: every character outside [A-Za-z0-9.+-] (including `%` and `_`, the separators)
// becomes %XX, so distinct values always give distinct names and names are safe in any shell.
const encode = (s: string) =>
  Array.from(new TextEncoder().encode(s))
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9.+-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");

/** The directory name of a point: `beta-0.3_seed-1` (keys in grid order). */
export function pointName(params: Record<string, GridValue>, keys: readonly string[]): string {
  return keys.map((k) => `${k}-${encode(formatGridValue(params[k]))}`).join("_");
}

/** All points of the grid (Cartesian product; the last axis varies fastest). */
export function expandGrid(axes: readonly GridAxis[]): GridPoint[] {
  if (axes.length === 0) throw new PhysmlInputError("grid", `at least one axis: ${ALLOWED}`, "none");
  const keys = axes.map((a) => a.key);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup) throw new PhysmlInputError("grid", "each key once", dup, "the key is given twice");
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  if (total > MAX_GRID_POINTS) {
    throw new PhysmlInputError("grid", `at most ${MAX_GRID_POINTS} points`, `${total} points`);
  }
  const points: GridPoint[] = [];
  for (let index = 0; index < total; index++) {
    const params: Record<string, GridValue> = {};
    let rest = index;
    for (let a = axes.length - 1; a >= 0; a--) {
      const n = axes[a].values.length;
      params[axes[a].key] = axes[a].values[rest % n];
      rest = Math.floor(rest / n);
    }
    const ordered = Object.fromEntries(keys.map((k) => [k, params[k]]));
    points.push({ index, name: pointName(ordered, keys), params: ordered });
  }
  const names = new Set(points.map((p) => p.name));
  if (names.size !== points.length) throw new Error("grid: two points share a directory name");
  return points;
}
