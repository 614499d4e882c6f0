// The translation-equivariant encoder of the task-constrained autoencoder: a circular conv1d over
// the chain (kernel width w, c hidden channels, tanh), then a 1×1 conv to one latent channel per
// site (tanh). σ_k = Π_{l<n} s_{k+l} is a function of the sum of n neighbouring spins, so with
// w ≥ n and c ≥ n hidden channels (one step per value of that sum) it can represent every σ_k
// exactly, with (w + 2)·c + 1 weights instead of the dense encoder's ~sites·width.
import { conv1d, type Key, random, reshape, type Tensor, tanh, tensor } from "@physml/autodiff";

/** The conv encoder's weights: w1 [c, 1, k], b1 [c], w2 [1, c, 1], b2 [1] (k = w, or w + 1 for even w). */
export interface ConvEncoderParams {
  [k: string]: Tensor;
  w1: Tensor;
  b1: Tensor;
  w2: Tensor;
  b2: Tensor;
}

export interface ConvEncoderOptions {
  /** Window width w: each hidden unit at site p sees w consecutive spins. */
  kernel: number;
  /** Hidden channels c. */
  channels: number;
  key: Key;
  /**
   * Mirror the window (the conv decoder, conv-decoder.ts): output p reads p − w + 1 + ⌊w/2⌋ …
   * p + ⌊w/2⌋, the negated offsets of the forward window, so output i sees exactly the inputs
   * whose forward window holds i. Only an even w differs: its first tap is masked, not its last.
   */
  mirror?: boolean;
}

/**
 * A circular conv encoder x [B, sites] → z [B, sites]. autodiff's convolutions are centred and
 * need odd kernels, so an even width w is a kernel of w + 1 taps with the last one masked out
 * (never computed; stored as 0): the window of site p is p − w/2 … p + w/2 − 1 (with `mirror`,
 * the first tap is masked: p − w/2 + 1 … p + w/2).
 */
export function convEncoder(
  sites: number,
  o: ConvEncoderOptions,
): { params: ConvEncoderParams; apply: (p: ConvEncoderParams, x: Tensor) => Tensor } {
  const taps = o.kernel % 2 === 1 ? o.kernel : o.kernel + 1;
  const masked = o.mirror ? 0 : taps - 1;
  const mask = taps === o.kernel ? undefined : Array.from({ length: taps }, (_, t) => (t === masked ? 0 : 1));
  const [k1, k2, k3, k4] = random.split(o.key, 4);
  // PyTorch's default for convolutions: U(±1/√fanIn) for weights and biases, fanIn = Ci × width.
  const u = (k: Key, shape: number[], fanIn: number) =>
    random.uniform(k, shape, { minval: -1 / Math.sqrt(fanIn), maxval: 1 / Math.sqrt(fanIn) });
  const w1 = u(k1, [o.channels, 1, taps], o.kernel).toFloat64Array();
  if (mask) for (let c = 0; c < o.channels; c++) w1[c * taps + masked] = 0;
  const params: ConvEncoderParams = {
    w1: tensor(w1, [o.channels, 1, taps]),
    b1: u(k2, [o.channels], o.kernel),
    w2: u(k3, [1, o.channels, 1], o.channels),
    b2: u(k4, [1], o.channels),
  };
  const apply = (p: ConvEncoderParams, x: Tensor) => {
    const B = x.shape[0];
    const h = tanh(conv1d(reshape(x, [B, 1, sites]), p.w1, { padding: "circular", mask, bias: p.b1 }));
    return reshape(tanh(conv1d(h, p.w2, { padding: "circular", bias: p.b2 })), [B, sites]);
  };
  return { params, apply };
}
