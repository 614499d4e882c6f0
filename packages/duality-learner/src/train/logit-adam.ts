// The optimiser of the exact rule's attention logits: the rule steps with it (./exact-rule.ts)
// and a new group's logit state is initialised with it (./group-state.ts).
import { adam } from "@physml/autodiff/optim";

/**
 * Adam for the exact mode's logits with a short second-moment memory (β2 = 0.9). The identity
 * penalty's gradient (~λ·p_identity ≈ 0.1 at first) is orders of magnitude above the later
 * loss differences between slots (~1e-4 in the ordered phase); with the default β2 = 0.999 its
 * memory kept Adam's steps tiny for hundreds of steps and the attention stayed near uniform,
 * so the coupling step kept mixing in the gradients of the wrong slots.
 */
export function logitAdam(lr: number) {
  return adam({ lr, beta2: 0.9 });
}
