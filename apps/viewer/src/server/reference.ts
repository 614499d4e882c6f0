// The exact value a run's result is compared with, where one exists. A Kramers–Wannier run
// (duality-kw) learns t0 whose modulus is the dual coupling β̃ = atanh(e^{−2β}) of the original
// β (lattice-core's dualCoupling); with a plaquette coupling there is no exact value.
import { dualCoupling, isObject } from "@physml/lattice-core";

/** A learned quantity next to its exact value. */
export interface Reference {
  quantity: string;
  exactName: string;
  learned: number;
  /** One standard error of `learned` (null when the run could not estimate it). */
  error: number | null;
  exact: number;
  /** (learned − exact)/exact. */
  relativeError: number;
  /** (learned − exact)/error: how many standard errors away (null without an error). */
  pull: number | null;
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** The exact value a run of this kind and configuration should learn. */
export interface ExactValue {
  quantity: string;
  exactName: string;
  exact: number;
}

/** The exact value of a duality-kw run without plaquette coupling (null for other runs). */
export function exactOf(kind: string, config: unknown): ExactValue | null {
  if (kind !== "duality-kw" || !isObject(config)) return null;
  const { beta, plaquette } = config;
  if (!finite(beta) || beta <= 0 || (plaquette !== undefined && plaquette !== 0)) return null;
  return { quantity: "|t0|", exactName: "β̃ = atanh(exp(−2β))", exact: dualCoupling(beta) };
}

/** The KW reference of a duality-kw run's configuration and result (null where it has none). */
export function referenceOf(kind: string, config: unknown, result: unknown): Reference | null {
  const ex = exactOf(kind, config);
  if (!ex || !isObject(result) || !finite(result.t0)) return null;
  const exact = ex.exact;
  const learned = Math.abs(result.t0);
  const error = finite(result.t0Error) && result.t0Error > 0 ? result.t0Error : null;
  return {
    ...ex,
    learned,
    error,
    exact,
    relativeError: (learned - exact) / exact,
    pull: error === null ? null : (learned - exact) / error,
  };
}

/** The exact KW curve β ↦ β̃ at `n` points spanning [lo, hi] (widened when lo = hi). */
export function exactCurve(lo: number, hi: number, n = 101): { beta: number[]; dual: number[] } {
  if (hi <= lo) {
    lo = Math.max(0.01, lo * 0.9);
    hi = hi * 1.1;
  }
  const beta = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  return { beta, dual: beta.map((b) => dualCoupling(b)) };
}
