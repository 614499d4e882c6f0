// The couplings' step, shared by the update rules: the coupling gradient preconditioned as the
// configuration asks (profile Gauss–Newton, natural gradient, or Adam without), bounded, then
// mapped onto the requested sign image.
import { tensor } from "@physml/autodiff";
import { type GradientOutput, precondition, solveDamped } from "../stats/gradient.js";
import type { GroupState } from "./group-state.js";
import type { StepContext } from "./step-context.js";

/** Covariance-gradient update of the couplings, then bounds and the requested sign image. */
export function updateCouplings(
  ctx: StepContext,
  gs: GroupState,
  gradT: Float64Array,
  stats: GradientOutput,
  lrFactor: number,
): void {
  const c = ctx.config;
  const mode = c.optimizer.precondition;
  const pg = (stats as GradientOutput & { profileGram?: Float64Array }).profileGram;
  let dir =
    mode === "gauss-newton" && pg
      ? solveDamped(
          pg,
          Float64Array.from(gradT, (v) => v / 2),
          0.1,
        )
      : mode === "none"
        ? gradT
        : precondition({ ...stats, grad: gradT }, mode, ctx.lattice.nSites);
  if (mode !== "none") {
    // Newton-type steps are bounded so that one noisy estimate cannot throw t far.
    const cap = c.optimizer.maxStep;
    dir = dir.map(
      (v) =>
        Math.max(-cap, Math.min(cap, c.optimizer.tLr * lrFactor * v)) / (c.optimizer.tLr * lrFactor || 1),
    );
  }
  // A step estimated from too few samples can come out non-finite (a singular curvature
  // estimate); it is skipped rather than allowed to poison the couplings.
  if (!dir.every(Number.isFinite)) return;
  const lr = c.optimizer.tLr * lrFactor;
  gs.tAdam.n++;
  ctx.termIndices.forEach((k, j) => {
    if (mode !== "none") {
      gs.t[k] -= lr * dir[j];
      return;
    }
    gs.tAdam.m[k] = 0.9 * gs.tAdam.m[k] + 0.1 * dir[j];
    gs.tAdam.v[k] = 0.999 * gs.tAdam.v[k] + 0.001 * dir[j] ** 2;
    const mh = gs.tAdam.m[k] / (1 - 0.9 ** gs.tAdam.n);
    const vh = gs.tAdam.v[k] / (1 - 0.999 ** gs.tAdam.n);
    gs.t[k] -= (lr * mh) / (Math.sqrt(vh) + 1e-12);
  });
  const bound = c.candidate.maxCoupling;
  for (const k of ctx.termIndices) gs.t[k] = Math.max(-bound, Math.min(bound, gs.t[k]));
  // (t_nn, θ2) → (−t_nn, −θ2) is an exact symmetry (x → −x by a sublattice flip) without a
  // field; map onto the requested image.
  const want = c.sign === "ferro" ? 1 : c.sign === "antiferro" ? -1 : 0;
  if (want !== 0 && Math.sign(gs.t[0]) === -want) {
    gs.t[0] = -gs.t[0];
    gs.tAdam.m[0] = -gs.tAdam.m[0];
    signImage(gs);
  }
}

/**
 * The map's side of the sign image t_nn → −t_nn: θ2 negated (every solved head's, or θ's), or
 * the MLP's input sign flipped.
 */
function signImage(gs: GroupState): void {
  switch (gs.rule) {
    case "exact":
      gs.heads = gs.heads.map((h) => (h ? [-h[0], h[1]] : null));
      return;
    case "gumbel": {
      const th = gs.params.theta.toFloat64Array();
      gs.params = { logits: gs.params.logits, theta: tensor([-th[0], th[1]]) };
      return;
    }
    case "mlp":
      gs.mlpSign = -gs.mlpSign;
  }
}
