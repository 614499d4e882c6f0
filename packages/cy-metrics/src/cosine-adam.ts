// The optimiser every trained metric model here steps with: Adam whose learning rate falls along
// a cosine to a twentieth of its start over the whole run (the learners of `cy train` and the ψ
// family alike), so a model's last steps are small whatever its starting rate.
import { type AdamState, adam, cosineDecay, type Optimizer } from "@physml/autodiff/optim";

/** Where the learning rate ends, as a fraction of its start. */
const FINAL_LR_FRACTION = 0.05;

/** Adam with its learning rate decayed from `lr` to 5% of it along a cosine over `steps` steps. */
export function cosineAdam(lr: number, steps: number): Optimizer<AdamState> {
  return adam({ lr: cosineDecay(lr, steps, FINAL_LR_FRACTION) });
}
