// The identity penalty: attention on the trivial slots (the original link itself, a map that
// solves the problem trivially with t = β) is charged λ per unit of probability.
import { add, gather, mul, softmax, sum, type Tensor } from "@physml/autodiff";
import type { StepContext } from "./step-context.js";

/** The attention probability `p` puts on the trivial slots. */
export function trivialMass(ctx: StepContext, p: readonly number[]): number {
  let m = 0;
  for (const k of ctx.trivial) m += p[k];
  return m;
}

/**
 * The identity-penalty objective on the logits, λ·Σ_{trivial k} softmax(logits)_k, plus the
 * expected loss Σ_k p_k L_k when the per-slot losses are given (its gradient is what the logits
 * follow).
 */
export function penaltyObjective(ctx: StepContext, logits: Tensor, lossPerSlot: Tensor | null): Tensor {
  const p = softmax(logits, -1);
  const pen = mul(sum(gather(p, ctx.trivial, 0)), ctx.config.observable.identityPenalty);
  return lossPerSlot ? add(sum(mul(p, lossPerSlot)), pen) : pen;
}
