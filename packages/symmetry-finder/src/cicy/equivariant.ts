// A network that is invariant under row and column permutations by construction (exchangeable
// matrix layers, Hartford et al. 2018): each layer maps an entry's features to
//   h'_rc = act(W₁h_rc + W₂⟨h_r·⟩ + W₃⟨h_·c⟩ + W₄⟨h_··⟩ + b),
// means over the matrix's own rows/columns (padding excluded), so permuting rows or columns of
// the input permutes the entries' features the same way; a mean over entries (with the matrix's
// size) makes the embedding invariant. It is the "or better" of the CICY network for
// Hodge numbers of unseen manifolds; for the symmetry question it answers nothing — its
// embedding is permutation-invariant by construction, not learned (use CicyNet for that).
import {
  add,
  concat,
  matmul,
  mul,
  random,
  relu,
  reshape,
  sum,
  type Tensor,
  tanh,
  tensor,
} from "@physml/autodiff";
import { Linear, type LinearParams, MLP } from "@physml/autodiff/nn";
import { checkInt } from "@physml/lattice-core";
import { CICY_COLS, CICY_ROWS } from "./data.js";
import { H11_CLASSES, H21_CLASSES } from "./heads.js";

const R = CICY_ROWS;
const C = CICY_COLS;

export interface EquivariantConfig {
  /** Channels of the exchangeable layers (default [32, 32, 32]). */
  channels?: readonly number[];
  /** Widths after pooling; the last is the embedding (default [100, 100]). */
  widths?: readonly number[];
  activation?: "tanh" | "relu";
  seed: number;
}

interface ExchangeParams {
  [k: string]: Tensor;
  w1: Tensor;
  w2: Tensor;
  w3: Tensor;
  w4: Tensor;
  b: Tensor;
}

export interface EquivariantParams {
  [k: string]: ExchangeParams[] | LinearParams[] | LinearParams;
  layers: ExchangeParams[];
  body: LinearParams[];
  h11: LinearParams;
  h21: LinearParams;
}

/** Masks and inverse counts of a batch of padded matrices (rows/columns with a nonzero entry are the matrix's own). */
function geometry(x: Float64Array, B: number) {
  const mask = new Float64Array(B * R * C);
  const invRows = new Float64Array(B);
  const invCols = new Float64Array(B);
  const size = new Float64Array(B * 2);
  for (let b = 0; b < B; b++) {
    let rows = 0;
    let cols = 0;
    for (let r = 0; r < R; r++) {
      let any = false;
      for (let c = 0; c < C; c++) any ||= x[b * R * C + r * C + c] !== 0;
      if (any) rows = r + 1;
    }
    for (let c = 0; c < C; c++) {
      let any = false;
      for (let r = 0; r < R; r++) any ||= x[b * R * C + r * C + c] !== 0;
      if (any) cols = c + 1;
    }
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mask[b * R * C + r * C + c] = 1;
    invRows[b] = 1 / Math.max(rows, 1);
    invCols[b] = 1 / Math.max(cols, 1);
    size[2 * b] = rows / R;
    size[2 * b + 1] = cols / C;
  }
  return {
    mask: tensor(mask, [B, R, C, 1]),
    invRows: tensor(invRows, [B, 1, 1, 1]),
    invCols: tensor(invCols, [B, 1, 1, 1]),
    invEntries: tensor(
      Float64Array.from(invRows, (v, b) => v * invCols[b]),
      [B, 1, 1, 1],
    ),
    size: tensor(size, [B, 2]),
  };
}

export class CicyEquivariantNet {
  readonly channels: readonly number[];
  readonly body: MLP;
  readonly h11: Linear;
  readonly h21: Linear;
  readonly act: (x: Tensor) => Tensor;
  private readonly layerKeys: ReturnType<typeof random.split>;
  constructor(cfg: EquivariantConfig) {
    this.channels = cfg.channels ?? [32, 32, 32];
    const widths = cfg.widths ?? [100, 100];
    for (const [i, w] of [...this.channels, ...widths].entries())
      checkInt(`channels/widths[${i}]`, w, 1, 4096);
    const [kl, kb, k1, k2] = random.split(random.key(cfg.seed), 4);
    this.layerKeys = random.split(kl, 4 * this.channels.length);
    this.act = cfg.activation === "relu" ? relu : tanh;
    const last = this.channels[this.channels.length - 1];
    this.body = new MLP([last + 2, ...widths], {
      key: kb,
      activation: cfg.activation ?? "tanh",
      finalActivation: "tanh",
    });
    const e = widths[widths.length - 1];
    this.h11 = new Linear(e, H11_CLASSES, { key: k1 });
    this.h21 = new Linear(e, H21_CLASSES, { key: k2 });
  }
  init(): EquivariantParams {
    let cin = 1;
    const layers = this.channels.map((cout, l) => {
      // the four terms add up: each gets a quarter of the variance of a Glorot-normal layer
      const std = Math.sqrt(2 / (cin + cout) / 4);
      const w = (k: number) => random.normal(this.layerKeys[4 * l + k], [cin, cout], { std });
      const p = { w1: w(0), w2: w(1), w3: w(2), w4: w(3), b: tensor(new Float64Array(cout), [cout]) };
      cin = cout;
      return p;
    });
    return { layers, body: this.body.params, h11: this.h11.params, h21: this.h21.params };
  }
  /** The embedding layer for padded matrices x [B, 180]. */
  embed(p: EquivariantParams, x: Tensor): Tensor {
    const B = x.shape[0];
    const g = geometry(x.toFloat64Array(), B);
    let h = reshape(x, [B, R, C, 1]);
    let cin = 1;
    for (const l of p.layers) {
      const cout = l.w1.shape[1];
      const proj = (t: Tensor, rows: number, w: Tensor, shape: number[]) =>
        reshape(matmul(reshape(t, [rows, cin]), w), shape);
      const own = proj(h, B * R * C, l.w1, [B, R, C, cout]);
      const rowMean = proj(mul(sum(h, 2, true), g.invCols), B * R, l.w2, [B, R, 1, cout]);
      const colMean = proj(mul(sum(h, 1, true), g.invRows), B * C, l.w3, [B, 1, C, cout]);
      const allMean = proj(mul(sum(h, [1, 2], true), g.invEntries), B, l.w4, [B, 1, 1, cout]);
      h = mul(this.act(add(add(add(add(own, rowMean), colMean), allMean), l.b)), g.mask);
      cin = cout;
    }
    const pooled = reshape(mul(sum(h, [1, 2], true), g.invEntries), [B, cin]);
    return this.body.apply(p.body, concat([pooled, g.size], 1));
  }
  heads(p: EquivariantParams, x: Tensor): [Tensor, Tensor] {
    const e = this.embed(p, x);
    return [this.h11.apply(p.h11, e), this.h21.apply(p.h21, e)];
  }
}
