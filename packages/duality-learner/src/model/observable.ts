// The observable map O_θ and its shape features ψ_a(O) as differentiable tensor code.
//
// For every link l, O reads the K candidate links of its window (see window.ts). The attention
// map is O_l = θ2·Σ_k w_k x_{n_k(l)} + θ3 with w = Gumbel-softmax(logits); the MLP map is
// O_l = MLP(x_{n_1(l)}, …, x_{n_K(l)}). Both are shared by all links (h and v through the slot
// pairing). The window matrix X [S·2N, K] is gathered once per step without gradient; ψ_a of a
// sample is the mean over translations of the product of O over the shape's links, computed
// from one gathered [S, N] column per distinct link offset.
import {
  add,
  gather,
  matmul,
  mean,
  mul,
  type random,
  reshape,
  slice,
  softmax,
  stack,
  type Tensor,
  tensor,
} from "@physml/autodiff";
import { gumbelSoftmax, type MLP } from "@physml/autodiff/nn";
import type { LinkShape, SquareLattice } from "@physml/lattice-core";
import type { CandidateSlot } from "./window.js";

/** Parameters of the attention map. */
export interface AttentionParams {
  /** [K] attention logits over the candidate slots. */
  logits: Tensor;
  /** [2]: θ2 (slope) and θ3 (offset) of the affine head. */
  theta: Tensor;
}

/** Parameters of the MLP map (the autodiff MLP's own tree). */
export type MlpParams = Parameters<MLP["apply"]>[0];

/** How the map reads its window in one forward pass. */
export interface ForwardOptions {
  /** Key of this step's Gumbel noise. */
  key: ReturnType<typeof random.key>;
  tau: number;
  hard: boolean;
  gumbel: boolean;
}

/** Precomputed index tables of one lattice, window and shape set. */
export class FeatureGeometry {
  readonly lattice: SquareLattice;
  readonly slots: readonly CandidateSlot[];
  readonly shapes: readonly LinkShape[];
  /** `window[l·K + k]`: the link read by slot k of link l. */
  readonly window: Int32Array;
  /** Distinct link offsets used by the shapes; `offsetTables[o][i]` is that link translated to site i. */
  readonly offsetTables: Int32Array[];
  /** For each shape, the indices into `offsetTables` of its links. */
  readonly shapeOffsets: number[][];

  constructor(
    lattice: SquareLattice,
    slots: readonly CandidateSlot[],
    window: Int32Array,
    shapes: readonly LinkShape[],
  ) {
    this.lattice = lattice;
    this.slots = slots;
    this.shapes = shapes;
    this.window = window;
    const keys = new Map<string, number>();
    this.offsetTables = [];
    this.shapeOffsets = shapes.map((s) =>
      s.links.map((o) => {
        const k = `${o.dx},${o.dy},${o.dir}`;
        let idx = keys.get(k);
        if (idx === undefined) {
          idx = this.offsetTables.length;
          keys.set(k, idx);
          const t = new Int32Array(lattice.nSites);
          for (let i = 0; i < lattice.nSites; i++) {
            const [x, y] = lattice.coords(i);
            t[i] = lattice.link(x + o.dx, y + o.dy, o.dir);
          }
          this.offsetTables.push(t);
        }
        return idx;
      }),
    );
  }

  get K(): number {
    return this.slots.length;
  }

  /** The window matrix [S·2N, K] (as Float64) of link variables `x` [S][2N]. */
  windowMatrix(x: Float64Array, samples: number): Tensor {
    const nl = this.lattice.nLinks;
    const K = this.K;
    const w = this.window;
    const out = new Float64Array(samples * nl * K);
    for (let b = 0; b < samples; b++) {
      const q = b * nl;
      const r = q * K;
      for (let i = 0; i < nl * K; i++) out[r + i] = x[q + w[i]];
    }
    return tensor(out, [samples * nl, K]);
  }

  /** ψ [S, A] of the link field O [S, 2N]. */
  features(O: Tensor): Tensor {
    const cols = this.offsetTables.map((t) => gather(O, t, 1));
    const cache = new Map<string, Tensor>();
    const psi = this.shapeOffsets.map((offs) => {
      // Products of prefixes are shared between shapes (e.g. bottom·right).
      let prod = cols[offs[0]];
      let k = `${offs[0]}`;
      for (let j = 1; j < offs.length; j++) {
        k += `,${offs[j]}`;
        const hit = cache.get(k);
        prod = hit ?? mul(prod, cols[offs[j]]);
        if (!hit) cache.set(k, prod);
      }
      return mean(prod, 1);
    });
    return stack(psi, 1);
  }
}

/** Attention weights of one forward pass (Gumbel-softmax or plain softmax). */
export function attentionWeights(logits: Tensor, o: ForwardOptions): Tensor {
  if (!o.gumbel) return softmax(logits, -1);
  return gumbelSoftmax(logits, { key: o.key, tau: o.tau, hard: o.hard });
}

/** ψ [S, A] of the attention map applied to the window matrix X [S·2N, K]. */
export function attentionFeatures(
  g: FeatureGeometry,
  X: Tensor,
  samples: number,
  p: AttentionParams,
  o: ForwardOptions,
): Tensor {
  const w = attentionWeights(p.logits, o);
  const y = reshape(matmul(X, reshape(w, [g.K, 1])), [samples, g.lattice.nLinks]);
  const O = add(mul(y, slice(p.theta, [0], [1])), slice(p.theta, [1], [2]));
  return g.features(O);
}

/** ψ [S, A] of the MLP map applied to the window matrix X [S·2N, K]; `sign` = ±1 flips x. */
export function mlpFeatures(
  g: FeatureGeometry,
  X: Tensor,
  samples: number,
  net: MLP,
  p: MlpParams,
  sign: number,
): Tensor {
  const input = sign === 1 ? X : mul(X, sign);
  const O = reshape(net.apply(p, input), [samples, g.lattice.nLinks]);
  return g.features(O);
}
