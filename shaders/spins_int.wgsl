// Spin access for the measurement kernel: int layout, one i32 (±1) per site and chain.
// (Declared read_write to match the shared bind-group layout; the measurement never writes.)

@group(0) @binding(1) var<storage, read_write> spins: array<i32>;

fn spin_at(c: u32, x: u32, y: u32) -> i32 {
  return spins[c * N_SITES + slot(x, y)];
}
