// Stochastic gradient descent with optional (Nesterov) momentum and weight decay.
import { checkPositive, type LearningRate, lrAt, type Optimizer, pairLeaves, rebuild } from "./types.js";

export interface SgdState {
  readonly step: number;
  readonly velocity: readonly Float64Array[];
}

export interface SgdOptions {
  lr: LearningRate;
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/**
 * v ← μv + g;  p ← p − lr·(g + μv) with Nesterov, else p ← p − lr·v (PyTorch convention);
 * momentum 0 is plain gradient descent.
 */
export function sgd(opts: SgdOptions): Optimizer<SgdState> {
  const mu = checkPositive(opts.momentum ?? 0, "sgd.momentum", true);
  const wd = checkPositive(opts.weightDecay ?? 0, "sgd.weightDecay", true);
  const nesterov = opts.nesterov ?? false;
  return {
    init(params) {
      const [p] = pairLeaves(params, params);
      return { step: 0, velocity: p.map((x) => new Float64Array(x.size)) };
    },
    step(params, grads, state) {
      const [pl, gl] = pairLeaves(params, grads);
      const lr = lrAt(opts.lr, state.step, "sgd.lr");
      const vel: Float64Array[] = [];
      const out: Float64Array[] = [];
      pl.forEach((x, i) => {
        const p = x._raw();
        const g = gl[i]._raw();
        const v = Float64Array.from(state.velocity[i]);
        const o = new Float64Array(x.size);
        for (let k = 0; k < o.length; k++) {
          const gk = g[k] + wd * p[k];
          v[k] = mu * v[k] + gk;
          o[k] = p[k] - lr * (nesterov ? gk + mu * v[k] : v[k]);
        }
        vel.push(v);
        out.push(o);
      });
      return { params: rebuild(params, pl, out), state: { step: state.step + 1, velocity: vel } };
    },
  };
}
