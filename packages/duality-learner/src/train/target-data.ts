// The target's feature means as a run stores them (target.json): its own file so the samplers
// that produce it (./target.ts, ./twisted-target.ts) and its readers share it without
// importing one another.

/** Target feature means with errors, as stored in a run's target.json. */
export interface TargetData {
  shapes: string[];
  mean: number[];
  error: number[];
  /** Integrated autocorrelation time of each feature, in samples. */
  tauInt: number[];
  /**
   * Covariance matrix `[A][A]` of the feature means, from the spread of the independent chains'
   * means (the features are strongly correlated; their errors alone miss that). Absent in
   * target.json files of older runs.
   */
  covariance?: number[][];
  chains: number;
  samplesPerChain: number;
  wallTimeMs: number;
  backend: string;
  /**
   * Boundary the original model was sampled with (absent in older runs: periodic). With
   * "twist-sum", `sectorWeights` holds the exact weights of the [periodic, x, y, xy] twists.
   */
  boundary?: "periodic" | "twist-sum";
  sectorWeights?: number[];
}
