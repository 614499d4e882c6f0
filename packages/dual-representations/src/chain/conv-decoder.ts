// The conv decoder: the conv encoder's mirror, from the latent (one unit per site) back to the
// spins. The dense decoder (~2·sites·width weights) reconstructs s well from a latent near the
// spins, and that pull competes with σ; this one has the encoder's (w + 2)·c + 1 weights and
// reconstructs spin i only from the latent units whose encoder window holds i (same width w).
import type { Tensor } from "@physml/autodiff";
import { type ConvEncoderOptions, type ConvEncoderParams, convEncoder } from "./conv-encoder.js";

/** The conv decoder's weights have the conv encoder's shapes. */
export type ConvDecoderParams = ConvEncoderParams;

/**
 * A circular conv decoder z [B, sites] → x̂ [B, sites]: conv of width w (mirrored window: output i
 * reads latent units i − w + 1 + ⌊w/2⌋ … i + ⌊w/2⌋), c tanh channels, 1×1 conv, tanh.
 */
export function convDecoder(
  sites: number,
  o: Omit<ConvEncoderOptions, "mirror">,
): { params: ConvDecoderParams; apply: (p: ConvDecoderParams, z: Tensor) => Tensor } {
  return convEncoder(sites, { ...o, mirror: true });
}
