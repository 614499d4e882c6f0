// Learning-rate schedules: step → lr.
import { AutodiffInputError } from "../errors.js";
import type { Schedule } from "./types.js";

function pos(v: number, field: string): number {
  if (!(v > 0) || !Number.isFinite(v)) throw new AutodiffInputError(field, "a finite number > 0", v);
  return v;
}

export function constantSchedule(lr: number): Schedule {
  pos(lr, "constantSchedule.lr");
  return () => lr;
}

/** lr·rate^(step/decaySteps) (continuous), or stepwise with `staircase`. */
export function exponentialDecay(lr: number, decaySteps: number, rate: number, staircase = false): Schedule {
  pos(lr, "exponentialDecay.lr");
  pos(decaySteps, "exponentialDecay.decaySteps");
  pos(rate, "exponentialDecay.rate");
  return (s) => lr * rate ** (staircase ? Math.floor(s / decaySteps) : s / decaySteps);
}

/** Cosine from lr to alpha·lr over `decaySteps`, constant afterwards. */
export function cosineDecay(lr: number, decaySteps: number, alpha = 0): Schedule {
  pos(lr, "cosineDecay.lr");
  pos(decaySteps, "cosineDecay.decaySteps");
  return (s) => {
    const t = Math.min(s, decaySteps) / decaySteps;
    return lr * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * t)) + alpha);
  };
}

/** Linear warm-up from 0 to lr over `warmupSteps`, then `after` (shifted to start at 0). */
export function warmup(lr: number, warmupSteps: number, after?: Schedule): Schedule {
  pos(lr, "warmup.lr");
  pos(warmupSteps, "warmup.warmupSteps");
  return (s) => (s < warmupSteps ? (lr * (s + 1)) / warmupSteps : after ? after(s - warmupSteps) : lr);
}

/** lr times the product of `scales[b]` for every boundary b already passed. */
export function piecewiseConstant(lr: number, boundaries: Record<number, number>): Schedule {
  pos(lr, "piecewiseConstant.lr");
  const entries = Object.entries(boundaries)
    .map(([k, v]) => [Number(k), v] as const)
    .sort((a, b) => a[0] - b[0]);
  return (s) => entries.reduce((acc, [b, f]) => (s >= b ? acc * f : acc), lr);
}
