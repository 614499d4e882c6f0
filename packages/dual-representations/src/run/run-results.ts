// What each of the three runs returns (and writes as result.json): its own file so the reports
// read these shapes without importing the runners.
import type { ChainPoint } from "../chain/task.js";
import type { FourierResult } from "../fourier/task.js";
import type { Ising2dPoint } from "../ising2d/task.js";

/** Result of `dualrep chain`. */
export interface ChainRunResult {
  sites: number;
  /** One row per interaction order n (`points` in runs written before 0.2). */
  rows: ChainPoint[];
  /** Every exact check passed and no stability label differed between the representations. */
  checksPassed: boolean;
  failures: string[];
  /** Wall-clock seconds of the run, a resumed run's earlier attempts included up to their last checkpoint. */
  seconds: number;
}

export interface Ising2dRunResult {
  L: number;
  deltaT: number;
  /** One row per base temperature T0 (`points` in runs written before 0.2). */
  rows: Ising2dPoint[];
  checksPassed: boolean;
  failures: string[];
  /** Wall-clock seconds of the run, a resumed run's earlier attempts included up to their last checkpoint. */
  seconds: number;
}

export interface FourierRunResult extends FourierResult {
  length: number;
  checksPassed: boolean;
  failures: string[];
  /** Wall-clock seconds of the run, a resumed run's earlier attempts included up to their last checkpoint. */
  seconds: number;
}
