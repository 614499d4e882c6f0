// Command lines small enough for a test to run a command end to end in about a second, shared by
// the test files that run the same command.

/** `physml dualrep ising2d` on a 4×4 lattice at one temperature pair, 2 epochs of a width-4 net. */
export const TINY_ISING2D = [
  "dualrep",
  "ising2d",
  "--L",
  "4",
  "--temperatures",
  "1.5",
  "--samples",
  "64",
  "--chains",
  "4",
  "--warmup",
  "50",
  "--every",
  "1",
  "--epochs",
  "2",
  "--hidden",
  "4",
];

/** 3 short trajectories of a 64-point grid, 64 training points, one polish iteration and no restarts. */
const TINY_FAMILY_DATA = [
  ...["--trajectories", "3", "--grid-points", "64", "--trajectory-time", "0.05", "--snapshots", "3"],
  ...["--samples", "64", "--polish-iter", "1", "--restarts", "0"],
];

/**
 * `physml integrability connection --system kdv --spectral-range -0.5,0.5 --start random` (from its
 * random draw: the default start, the fixed-λ connection, trains that one first) on
 * {@link TINY_FAMILY_DATA}; the Adam steps (`--steps`) are the caller's.
 */
export const TINY_KDV_FAMILY = [
  ...["integrability", "connection", "--system", "kdv", "--spectral-range", "-0.5,0.5"],
  ...["--start", "random"],
  ...TINY_FAMILY_DATA,
];

/**
 * `physml integrability connection --system sine-gordon --spectral-range 0.5,2 --start random` on
 * {@link TINY_FAMILY_DATA}; the Adam steps (`--steps`) are the caller's.
 */
export const TINY_SINE_GORDON_FAMILY = [
  ...["integrability", "connection", "--system", "sine-gordon", "--spectral-range", "0.5,2"],
  ...["--start", "random"],
  ...TINY_FAMILY_DATA,
];

/**
 * `physml integrability connection --system heisenberg --spectral-range 0.5,2` on
 * {@link TINY_FAMILY_DATA} (the default start: a caller that wants the random one says so); the
 * Adam steps (`--steps`) are the caller's.
 */
export const TINY_HEISENBERG_FAMILY = [
  ...["integrability", "connection", "--system", "heisenberg", "--spectral-range", "0.5,2"],
  ...TINY_FAMILY_DATA,
];
