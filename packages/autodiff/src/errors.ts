import { PhysmlInputError } from "@physml/lattice-core";

/**
 * Typed error for bad input to `@physml/autodiff`: a PhysmlInputError (the message names the
 * field and what is allowed), so callers match one error type for bad input across the
 * workspace, e.g. a checkpoint refused by autodiff's state readers under a `resume.*` field.
 */
export class AutodiffInputError extends PhysmlInputError {
  constructor(field: string, allowed: string, received: unknown, detail?: string) {
    super(field, allowed, received, detail);
    // Shapes read better as [2,3] than PhysmlInputError's "object".
    this.message = `${field}: expected ${allowed}, got ${show(received)}${detail ? ` (${detail})` : ""}`;
    this.name = "AutodiffInputError";
  }
}

function show(v: unknown): string {
  if (Array.isArray(v)) return `[${v.join(",")}]`;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return String(v);
  if (v === null) return "null";
  return typeof v;
}

/**
 * A derivative was asked for at (or numerically at) a degenerate spectrum, where it does not
 * exist: eigenvectors of `eigh` with two eigenvalues closer than the gap tolerance, or singular
 * vectors of `svd` with equal (or, for non-square input, zero) singular values. The value itself
 * is still computed; only the derivative rule throws.
 */
export class LinalgDegeneracyError extends AutodiffInputError {
  /** The smallest relative gap found (|λᵢ − λⱼ| / max|λ|, or the analogue for singular values). */
  readonly gap: number;

  constructor(field: string, allowed: string, gap: number, detail?: string) {
    super(field, allowed, gap, detail);
    this.name = "LinalgDegeneracyError";
    this.gap = gap;
  }
}

/**
 * A tensor made inside a `grad`/`valueAndGrad` call was used after the call returned (kept in a
 * closure or cache rather than returned). Its memory was recycled when the call ended; return it
 * from the function (or copy it with `toFloat64Array()` inside) instead.
 */
export class EscapedTensorError extends AutodiffInputError {
  constructor() {
    super(
      "tensor",
      "a tensor returned by grad/valueAndGrad or made outside such a call",
      "a tensor made inside a finished grad/valueAndGrad call",
      "its memory was recycled when the call returned; return it or copy it with toFloat64Array() inside the call",
    );
    this.name = "EscapedTensorError";
  }
}
