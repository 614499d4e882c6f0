// Spin access for the measurement kernel: replica-packed layout, bit (c mod 32) of the word
// of group floor(c/32) (set = +1).
// (Declared read_write to match the shared bind-group layout; the measurement never writes.)

@group(0) @binding(1) var<storage, read_write> spins: array<u32>;

fn spin_at(c: u32, x: u32, y: u32) -> i32 {
  let w = spins[(c >> 5u) * N_SITES + slot(x, y)];
  return i32((w >> (c & 31u)) & 1u) * 2 - 1;
}
