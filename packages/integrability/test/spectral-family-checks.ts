// The checks a learned connection family must pass against the known connection, shared by the
// KdV, sine-Gordon and Heisenberg family tests: validation, per held-out value the residual, the
// traces the known connection's at the read-off p̂(p), and p̂ moving with p (slopes and secants at
// least the hinge's floor, the secants with the slope's sign); an untrained family failing them;
// the start near a known family those tests train from; and that a family model holds the known
// connection exactly.
import { add, random, sub, type Tensor } from "@physml/autodiff";
import type { LinearParams } from "@physml/autodiff/nn";
import { expect } from "vitest";
import { CONNECTION_TARGETS } from "../src/lax/connection-validation.js";
import type { LaxParams } from "../src/lax/model.js";
import { SPECTRAL_SLOPE_FLOOR, SpectralConnectionModel } from "../src/lax/spectral-connection.js";
import type { SpectralConnectionResult } from "../src/lax/spectral-connection-learn.js";
import { spectralFamily } from "../src/lax/spectral-families.js";
import { type ConnectionFns, type FieldBatch, zeroCurvatureResidual } from "../src/lax/zero-curvature.js";

/** Sine-Gordon's family model at seed 0: affine on (φ_x, φ_t, sin φ, cos φ) onto 2×2, the known powers. */
export function sineGordonFamilyModel(): SpectralConnectionModel {
  const { Ax, At } = spectralFamily("sine-gordon").powers;
  return new SpectralConnectionModel({
    inputs: 4,
    size: 2,
    degreeX: Ax[1],
    degreeT: At[1],
    lowestX: Ax[0],
    lowestT: At[0],
    seed: 0,
  });
}

/**
 * The learned traces must be the known connection's at p̂ to the monodromy variation target: a
 * gauge of it at p̂ (constant or periodic) has the same trace, and both quadratures' errors are
 * checked far below it (the monodromy report's own check).
 */
export const TRACE_TOLERANCE = CONNECTION_TARGETS.monodromyVariation;

/** `r` passed, and at each held-out value is the known family at p̂(p), p̂ moving with p. */
export function expectKnownFamily(r: SpectralConnectionResult, parameter: string): void {
  expect(r.validation.failures).toEqual([]);
  expect(r.validation.passed).toBe(true);
  expect(r.validation.checked.length).toBeGreaterThan(0);
  for (const h of r.heldOut) {
    expect(h.residual).toBeLessThan(CONNECTION_TARGETS.residual);
    expect(h.traceMismatch, `${parameter} = ${h.lambda}`).toBeLessThan(TRACE_TOLERANCE);
    // the squared hinge lets the slope sit a hair under its floor
    expect(Math.abs(h.slope)).toBeGreaterThan(0.99 * SPECTRAL_SLOPE_FLOOR);
  }
  // p̂ is a non-constant function of p: every secant has the slope's sign and at least its floor
  for (let i = 1; i < r.heldOut.length; i++) {
    const [p, q] = [r.heldOut[i - 1], r.heldOut[i]];
    const secant = (q.lambdaHat - p.lambdaHat) / (q.lambda - p.lambda);
    expect(Math.sign(secant)).toBe(Math.sign(p.slope));
    expect(Math.abs(secant)).toBeGreaterThan(0.99 * SPECTRAL_SLOPE_FLOOR);
  }
}

/** An untrained family fails the same checks: its traces are not the known connection's. */
export function expectNotFamily(r: SpectralConnectionResult): void {
  expect(r.validation.passed).toBe(false);
  expect(Math.max(...r.heldOut.map((h) => h.traceMismatch))).toBeGreaterThan(TRACE_TOLERANCE);
}

/** Every weight and bias of `p` moved by a seeded uniform draw in ±0.1. */
function moved(p: LinearParams, seed: number): LinearParams {
  const shift = (k: number, shape: readonly number[]) =>
    random.uniform(random.key(k), shape, { minval: -0.1, maxval: 0.1 });
  return { w: add(p.w, shift(seed, p.w.shape)), b: add(p.b, shift(seed + 100, p.b.shape)) } as LinearParams;
}

/** A known family's parameters with every weight and bias moved by up to ±0.1 (seeded). */
export function movedFamily(known: LaxParams): LaxParams {
  return {
    L: known.L.map((p, i) => moved(p as LinearParams, i)),
    M: known.M.map((p, i) => moved(p as LinearParams, 10 + i)),
  } as LaxParams;
}

/**
 * The family `model` at `params` is the known connection `known(p)` entry for entry (to 1e-12) and
 * flat on `batch` (zero-curvature residual below `flatness`) at each of `ps`.
 */
export function expectHoldsKnown(
  model: SpectralConnectionModel,
  params: LaxParams,
  known: (p: number) => ConnectionFns,
  batch: FieldBatch,
  ps: readonly number[],
  flatness: number,
): void {
  const close = (a: Tensor, b: Tensor) =>
    Array.from(sub(a, b).toFloat64Array()).every((v) => Math.abs(v) < 1e-12);
  for (const p of ps) {
    const c = model.at(params, p);
    const truth = known(p);
    expect(close(c.Ax(batch.f), truth.Ax(batch.f))).toBe(true);
    expect(close(c.At(batch.f), truth.At(batch.f))).toBe(true);
    expect(zeroCurvatureResidual(c, batch)).toBeLessThan(flatness);
  }
}
