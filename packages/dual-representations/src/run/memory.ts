// What each task holds at once, estimated from its sizes before anything is allocated (a model,
// not a measurement): Float64 rows in about four copies (the data set, the train/test split,
// a centred or transformed copy, the batch tensors), plus the enumerated state codes of a chain.

import { refuseAboveMemoryLimit } from "@physml/lattice-core";
import { MAX_ENUMERATED_SITES } from "../chain/dataset.js";
import type { ChainConfig, FourierConfig, Ising2dConfig } from "../config.js";
import { ACCURACY_CHUNK } from "../train/fit.js";

/** Copies of the Float64 rows held at once (data, split, transformed copy, tensors). */
export const ROW_COPIES = 4;
/** Bytes per enumerated state code (a JS number in an array, with the array's slack). */
export const CODE_BYTES = 16;

/** The estimate of `dualrep chain`: both representations' rows, and the codes when enumerated. */
export function chainMemory(c: ChainConfig): number {
  const codes = c.sites <= MAX_ENUMERATED_SITES ? 2 ** c.sites * CODE_BYTES : 0;
  return codes + 2 * c.perClass * 2 * c.sites * 8 * ROW_COPIES;
}

/** Copies of an N × N learned map held while it trains (W, its gradient, Adam's two moments, W Wᵀ and its gradient, slack). */
export const MAP_COPIES = 8;

/**
 * The estimate of `dualrep ising2d`: one pair's spins as rows and their structure factors (and
 * their 2D DFT and the learned N × N map with `dftFrontEnd`).
 */
export function ising2dMemory(c: Ising2dConfig): number {
  const N = c.L * c.L;
  const rows = 2 * c.samples * N * 8 * (c.dftFrontEnd ? 3 : 2) * ROW_COPIES;
  return rows + (c.dftFrontEnd ? N * N * 8 * MAP_COPIES : 0);
}

/**
 * Copies of the shared classifier's hidden activations over one accuracy chunk (pre-activation,
 * ReLU mask and output, the gathered inputs, slack).
 */
export const SHARED_COPIES = 4;

/**
 * The estimate of `dualrep fourier`: the signals in position and DFT rows, and with
 * `sharedHidden` the shared classifier's hidden units on every coordinate of a chunk of rows.
 */
export function fourierMemory(c: FourierConfig): number {
  const shared = ACCURACY_CHUNK * c.length * c.sharedHidden * 8 * SHARED_COPIES;
  return 2 * c.examples * c.length * 8 * 2 * ROW_COPIES + shared;
}

/** Throws a PhysmlInputError naming `field` when `bytes` exceed the `--max-memory` limit. */
export function checkMemory(
  bytes: number,
  maxMemory: string | undefined,
  field: string,
  value: unknown,
): void {
  refuseAboveMemoryLimit(bytes, maxMemory, { field, received: value });
}
