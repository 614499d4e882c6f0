// What `simulate` can run and what a run gives, apart from how it is run: the catalogue builds
// plans for these systems and the time-slice integrator hands back their arrays.

/** Systems `simulate` accepts. */
export const SIMULATE_SYSTEMS = [
  "ho",
  "ho2d",
  "toda",
  "toda4",
  "henon-heiles",
  "two-body",
  "kdv",
  "sine-gordon",
  "heisenberg",
] as const;
export type SimulateSystemName = (typeof SIMULATE_SYSTEMS)[number];

/** A named array for the run directory. */
export interface NamedArray {
  name: string;
  data: Float64Array;
  shape: number[];
}
