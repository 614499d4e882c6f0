// The task-constrained autoencoder: an encoder (dense, one hidden layer of 128; or the
// translation-equivariant conv encoder of conv-encoder.ts) maps the spins to a latent vector, a
// decoder (dense, or the conv encoder's mirror) must reconstruct the spins from it (so the latent stays a faithful
// representation), and the simple classifier reads the label from the latent (the task loss on
// the latent). By default nothing hands it σ: afterwards we measure how close the latent came to
// σ. The declared feature-matching mode (weight > 0) adds the paper's "feature matching with
// respect to desired representations": the first K latent units are pulled towards a target
// representation of the input (σ for the chains), so the network *is* shown σ there. The declared
// correlation mode (correlation-loss.ts) instead pulls a fixed (or fitted affine) readout of the
// latent towards simple correlation functions of the input (its energy), handing one or two
// numbers per row.
import {
  add,
  type Key,
  mean,
  mul,
  random,
  reshape,
  slice,
  square,
  sub,
  type Tensor,
  tensor,
} from "@physml/autodiff";
import { type LinearParams, MLP } from "@physml/autodiff/nn";
import { PhysmlInputError } from "@physml/lattice-core";
import type { Labelled } from "../train/dataset.js";
import type { BinaryModel } from "../train/fit.js";
import { bceWithLogits } from "../train/models.js";
import { convDecoder } from "./conv-decoder.js";
import { type ConvEncoderParams, convEncoder } from "./conv-encoder.js";
import { type AffineReadoutParams, affineReadout } from "./correlation-loss.js";

export interface AutoencoderParams {
  /** With the fitted affine correlation readout also `ro`, its a and b (AffineReadoutParams). */
  [k: string]: LinearParams[] | ConvEncoderParams | AffineReadoutParams;
  /** Dense: MLP layers; conv: the conv encoder's kernels (conv-encoder.ts). */
  enc: LinearParams[] | ConvEncoderParams;
  /** Dense: MLP layers; conv: the conv decoder's kernels (conv-decoder.ts). */
  dec: LinearParams[] | ConvEncoderParams;
  cls: LinearParams[];
}

/** The encoder kinds (`--encoder`). */
export const ENCODER_KINDS = ["dense", "conv"] as const;

/** The encoder: dense `[sites, width, latent]` (tanh), or the translation-equivariant conv encoder. */
export type EncoderSpec = { kind: "dense" } | { kind: "conv"; kernel: number; channels: number };

/** The decoder kinds (`--decoder`): the encoder's. */
export const DECODER_KINDS = ENCODER_KINDS;

/** The decoder: dense `[latent, width, sites]` (tanh), or the conv encoder's mirror (same window and channels). */
export type DecoderSpec = EncoderSpec;

export interface AutoencoderOptions {
  /** With a conv encoder the latent is one unit per site (latent = sites). */
  latent: number;
  /** Hidden width of the decoder, and of the encoder when dense. */
  width: number;
  /** Default dense. */
  encoder?: EncoderSpec;
  /** Default dense; conv needs latent = sites. */
  decoder?: DecoderSpec;
  classifierHidden: number;
  reconstructionWeight: number;
  seed: number;
  /**
   * Feature matching: `weight` × mean squared difference between the first K latent units and
   * `target(x)` [B, K] (K ≤ latent). Omitted or weight 0: the latent is never shown a target.
   */
  featureMatching?: { weight: number; target: (x: Tensor) => Tensor };
  /**
   * Correlation functions: `weight` × mean squared difference between `readout(z)` and
   * `target(x)` (both [B, F]); with `affine` (the initial a, b) the readout is a·readout(z) + b,
   * a and b trained as `params.ro`. Omitted or weight 0: no such term.
   */
  correlation?: {
    weight: number;
    readout: (z: Tensor) => Tensor;
    target: (x: Tensor) => Tensor;
    affine?: AffineReadoutParams;
  };
}

type Part = LinearParams[] | ConvEncoderParams;

/**
 * The encoder's or decoder's initial parameters and map, `[from, width, to]` dense or circular
 * conv (the decoder's window mirrored); the two kinds' parameters differ in shape (array / record).
 */
function partOf(
  field: "enc" | "dec",
  from: number,
  to: number,
  width: number,
  spec: EncoderSpec | DecoderSpec,
  key: Key,
): { params: Part; apply: (p: Part, x: Tensor) => Tensor } {
  if (spec.kind === "conv") {
    const o = { kernel: spec.kernel, channels: spec.channels, key };
    const conv = field === "enc" ? convEncoder(from, o) : convDecoder(from, o);
    return {
      params: conv.params,
      apply: (p, x) => {
        if (Array.isArray(p)) throw new PhysmlInputError(`params.${field}`, "conv kernels", "MLP layers");
        return conv.apply(p, x);
      },
    };
  }
  const mlp = new MLP([from, width, to], { key, activation: "tanh", finalActivation: "tanh" });
  return {
    params: mlp.params,
    apply: (p, x) => {
      if (!Array.isArray(p)) throw new PhysmlInputError(`params.${field}`, "MLP layers", "conv kernels");
      return mlp.apply(p, x);
    },
  };
}

/** The autoencoder as a BinaryModel (logits through the latent) plus its encoder. */
export function autoencoder(
  d: number,
  o: AutoencoderOptions,
): {
  model: BinaryModel<AutoencoderParams>;
  params: AutoencoderParams;
  encode: (p: AutoencoderParams, x: Tensor) => Tensor;
} {
  const [k1, k2, k3] = random.split(random.key(o.seed), 3);
  const spec = o.encoder ?? { kind: "dense" };
  const decSpec = o.decoder ?? { kind: "dense" };
  if ((spec.kind === "conv" || decSpec.kind === "conv") && o.latent !== d)
    throw new PhysmlInputError(
      "latent",
      `${d} (one latent unit per site with a conv encoder or decoder)`,
      o.latent,
    );
  const enc = partOf("enc", d, o.latent, o.width, spec, k1);
  const dec = partOf("dec", o.latent, d, o.width, decSpec, k2);
  const cls = new MLP([o.latent, o.classifierHidden, 1], { key: k3, activation: "tanh" });
  const encode = (p: AutoencoderParams, x: Tensor) => enc.apply(p.enc, x);
  const logitsOf = (p: AutoencoderParams, z: Tensor) =>
    reshape(cls.apply(p.cls as LinearParams[], z), [z.shape[0]]);
  const cf = o.correlation;
  const fitted = cf !== undefined && cf.weight !== 0 ? cf.affine : undefined;
  const readout = (p: AutoencoderParams, z: Tensor) => {
    if (cf === undefined) throw new PhysmlInputError("correlation", "a correlation term", "none");
    if (fitted === undefined) return cf.readout(z);
    const ro = p.ro as AutoencoderParams[string] | undefined;
    if (ro === undefined || Array.isArray(ro) || !("a" in ro && "b" in ro))
      throw new PhysmlInputError(
        "params.ro",
        "the affine readout's a and b",
        ro === undefined ? "none" : "other",
      );
    return affineReadout(ro as AffineReadoutParams, cf.readout(z));
  };
  return {
    params: {
      enc: enc.params,
      dec: dec.params,
      cls: cls.params,
      ...(fitted ? { ro: { a: fitted.a, b: fitted.b } } : {}),
    },
    encode,
    model: {
      logits: (p, x) => logitsOf(p, encode(p, x)),
      loss: (p, x, y) => {
        const z = encode(p, x);
        const rec = mean(square(sub(dec.apply(p.dec, z), x)));
        let loss = add(bceWithLogits(logitsOf(p, z), y), mul(o.reconstructionWeight, rec));
        const fm = o.featureMatching;
        if (fm !== undefined && fm.weight !== 0) {
          const t = fm.target(x);
          const head = slice(z, [0, 0], [z.shape[0], t.shape[1]]);
          loss = add(loss, mul(fm.weight, mean(square(sub(head, t)))));
        }
        if (cf !== undefined && cf.weight !== 0)
          loss = add(loss, mul(cf.weight, mean(square(sub(readout(p, z), cf.target(x))))));
        return loss;
      },
    },
  };
}

/**
 * How well the latent z [n, m] reproduces the columns of `target` [n, K]: per target column,
 * the largest |Pearson correlation| with any latent unit; the mean over columns (1: every target
 * variable is, up to sign and scale, one latent unit).
 */
export function latentOverlap(z: Float64Array, m: number, target: Labelled): number {
  const n = target.n;
  const K = target.d;
  const stats = (get: (r: number) => number) => {
    let s = 0;
    let s2 = 0;
    for (let r = 0; r < n; r++) {
      const v = get(r);
      s += v;
      s2 += v * v;
    }
    const mu = s / n;
    return { mu, sd: Math.sqrt(Math.max(s2 / n - mu * mu, 0)) };
  };
  const zs = Array.from({ length: m }, (_, j) => stats((r) => z[r * m + j]));
  let total = 0;
  for (let k = 0; k < K; k++) {
    const t = stats((r) => target.x[r * K + k]);
    let best = 0;
    for (let j = 0; j < m; j++) {
      if (zs[j].sd === 0 || t.sd === 0) continue;
      let c = 0;
      for (let r = 0; r < n; r++) c += (z[r * m + j] - zs[j].mu) * (target.x[r * K + k] - t.mu);
      best = Math.max(best, Math.abs(c / n / (zs[j].sd * t.sd)));
    }
    total += best;
  }
  return total / K;
}

/** The latent of every row of `data`. */
export function encodeRows(
  encode: (p: AutoencoderParams, x: Tensor) => Tensor,
  p: AutoencoderParams,
  data: Labelled,
): Float64Array {
  return encode(p, tensor(data.x, [data.n, data.d])).toFloat64Array();
}
