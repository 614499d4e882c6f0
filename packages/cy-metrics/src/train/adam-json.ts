// Adam's state as plain JSON (a checkpoint is the learner's state): Float64 values survive
// JSON.stringify/parse exactly, so a resumed run continues bit for bit.
import type { AdamState } from "@physml/autodiff";

/** Adam's state with arrays as number lists. */
export interface AdamJson {
  step: number;
  m: number[][];
  v: number[][];
}

/** To JSON form. */
export function adamToJson(s: AdamState): AdamJson {
  return { step: s.step, m: s.m.map((a) => Array.from(a)), v: s.v.map((a) => Array.from(a)) };
}

/** From JSON form. */
export function adamFromJson(s: AdamJson): AdamState {
  return { step: s.step, m: s.m.map((a) => Float64Array.from(a)), v: s.v.map((a) => Float64Array.from(a)) };
}

/** Whether `s` looks like an AdamJson with leaves of the given sizes (for checkpoint validation). */
export function isAdamJson(s: unknown, sizes: readonly number[]): s is AdamJson {
  if (typeof s !== "object" || s === null) return false;
  const a = s as Partial<AdamJson>;
  const ok = (x: unknown) =>
    Array.isArray(x) &&
    x.length === sizes.length &&
    x.every((l, i) => Array.isArray(l) && l.length === sizes[i] && l.every(Number.isFinite));
  return Number.isInteger(a.step) && ok(a.m) && ok(a.v);
}
