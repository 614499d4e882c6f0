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
