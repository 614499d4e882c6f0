// Lattice geometry and memory layout shared by the sweep and measurement kernels.
//
// Spins of one chain (int kernel) or one 32-chain group (packed kernel) are stored colour
// class by colour class: slot = class·CLASS_SIZE + j, where j is the position of the site in
// its colour class (increasing site order, as SPEC.md numbers them). The j-th update of a
// colour is then the j-th word of a contiguous run, so neighbouring invocations read and
// write neighbouring memory, and the neighbours of a class are contiguous runs of the other
// classes.

override LX: u32;
override LY: u32;
override COLOURS: u32;
override HALF_X: u32 = LX / 2u;
override N_SITES: u32 = LX * LY;
override CLASS_SIZE: u32 = N_SITES / COLOURS;

// One entry of the per-pass parameter table (bound with a dynamic offset, one entry per dispatch).
struct Pass {
  key: vec2<u32>,
  sweep: u32,
  colour: u32,
  // Measurement kernels: sample index and samples per chain in the sums buffer.
  sample: u32,
  samples: u32,
  // Packed kernel: thresholds for ΔE = 4|J| and 8|J|, and the sign of J (0: J = 0, 1: J > 0, 2: J < 0).
  t4: u32,
  t8: u32,
  mode: u32,
}

fn colour_of(x: u32, y: u32) -> u32 {
  if (COLOURS == 2u) {
    return (x + y) & 1u;
  }
  return (x & 1u) + 2u * (y & 1u);
}

// Storage slot of site (x, y) inside its chain's (or group's) block of N_SITES words.
fn slot(x: u32, y: u32) -> u32 {
  let row = select(y >> 1u, y, COLOURS == 2u);
  return colour_of(x, y) * CLASS_SIZE + row * HALF_X + (x >> 1u);
}

// Coordinates of the j-th site of colour class k.
fn class_site(k: u32, j: u32) -> vec2<u32> {
  let row = j / HALF_X;
  let col = j - row * HALF_X;
  if (COLOURS == 2u) {
    return vec2<u32>(2u * col + ((row + k) & 1u), row);
  }
  return vec2<u32>(2u * col + (k & 1u), 2u * row + (k >> 1u));
}

fn xp(x: u32) -> u32 {
  return select(x + 1u, 0u, x + 1u == LX);
}
fn xm(x: u32) -> u32 {
  return select(x - 1u, LX - 1u, x == 0u);
}
fn yp(y: u32) -> u32 {
  return select(y + 1u, 0u, y + 1u == LY);
}
fn ym(y: u32) -> u32 {
  return select(y - 1u, LY - 1u, y == 0u);
}
