// What each of the three runs returns (and writes as result.json): its own file so the reports
// read these shapes without importing the runners.
import type { ChainPoint } from "../chain/task.js";
import type { FourierResult } from "../fourier/task.js";
import type { Ising2dPoint } from "../ising2d/task.js";

/**
 * A run's checks, under the key `validation` as every command's: `passed` when none failed, and
 * one sentence per failed check. Older run directories hold them at the top level, as
 * `checksPassed` and `failures`: `currentDualrepResult` reads those as this.
 */
export interface DualrepValidation {
  passed: boolean;
  failures: string[];
}

/** Result of `dualrep chain`. */
export interface ChainRunResult {
  sites: number;
  /** One row per interaction order n (`points` in runs written before 0.2). */
  rows: ChainPoint[];
  /** The exact checks: passed when every one held and no stability label differed between the representations. */
  validation: DualrepValidation;
  /** Wall-clock seconds of the run, a resumed run's earlier attempts included up to their last checkpoint. */
  seconds: number;
}

export interface Ising2dRunResult {
  L: number;
  deltaT: number;
  /** One row per base temperature T0 (`points` in runs written before 0.2). */
  rows: Ising2dPoint[];
  /** The sampled energies against Kaufman's exact values. */
  validation: DualrepValidation;
  /** Wall-clock seconds of the run, a resumed run's earlier attempts included up to their last checkpoint. */
  seconds: number;
}

export interface FourierRunResult extends FourierResult {
  length: number;
  /** The handed DFT's rows are pure modes (Fourier concentration 1). */
  validation: DualrepValidation;
  /** Wall-clock seconds of the run, a resumed run's earlier attempts included up to their last checkpoint. */
  seconds: number;
}
