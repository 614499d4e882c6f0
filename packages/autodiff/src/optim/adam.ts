// Adam and AdamW (decoupled weight decay), Kingma & Ba 2015; Loshchilov & Hutter 2019.
import { AutodiffInputError } from "../errors.js";
import { checkPositive, type LearningRate, lrAt, type Optimizer, pairLeaves, rebuild } from "./types.js";

export interface AdamState {
  readonly step: number;
  readonly m: readonly Float64Array[];
  readonly v: readonly Float64Array[];
}

export interface AdamOptions {
  lr: LearningRate;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Decoupled weight decay (AdamW); 0 gives plain Adam. */
  weightDecay?: number;
}

function checkBeta(b: number, field: string): number {
  if (!(b >= 0 && b < 1)) throw new AutodiffInputError(field, "a number in [0, 1)", b);
  return b;
}

/** Adam with bias correction. */
export function adam(opts: AdamOptions): Optimizer<AdamState> {
  const b1 = checkBeta(opts.beta1 ?? 0.9, "adam.beta1");
  const b2 = checkBeta(opts.beta2 ?? 0.999, "adam.beta2");
  const eps = checkPositive(opts.eps ?? 1e-8, "adam.eps", true);
  const wd = checkPositive(opts.weightDecay ?? 0, "adam.weightDecay", true);
  return {
    init(params) {
      const [p] = pairLeaves(params, params);
      return {
        step: 0,
        m: p.map((x) => new Float64Array(x.size)),
        v: p.map((x) => new Float64Array(x.size)),
      };
    },
    step(params, grads, state) {
      const [pl, gl] = pairLeaves(params, grads);
      const lr = lrAt(opts.lr, state.step, "adam.lr");
      const t = state.step + 1;
      const c1 = 1 - b1 ** t;
      const c2 = 1 - b2 ** t;
      const m: Float64Array[] = [];
      const v: Float64Array[] = [];
      const out: Float64Array[] = [];
      pl.forEach((x, i) => {
        const p = x._raw();
        const g = gl[i]._raw();
        const mi = Float64Array.from(state.m[i]);
        const vi = Float64Array.from(state.v[i]);
        const o = new Float64Array(x.size);
        for (let k = 0; k < o.length; k++) {
          const gk = g[k];
          mi[k] = b1 * mi[k] + (1 - b1) * gk;
          vi[k] = b2 * vi[k] + (1 - b2) * gk * gk;
          o[k] = p[k] - lr * (mi[k] / c1 / (Math.sqrt(vi[k] / c2) + eps) + wd * p[k]);
        }
        m.push(mi);
        v.push(vi);
        out.push(o);
      });
      return { params: rebuild(params, pl, out), state: { step: t, m, v } };
    },
  };
}

/** AdamW: Adam with decoupled weight decay (default 1e-2). */
export function adamw(opts: AdamOptions): Optimizer<AdamState> {
  return adam({ ...opts, weightDecay: opts.weightDecay ?? 1e-2 });
}
