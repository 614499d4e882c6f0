// Evaluates Philox4x32-10 on a list of (counter, key) inputs: the GPU side of the known-answer
// and CPU-agreement tests. Input record r: counter = words 6r..6r+3, key = words 6r+4, 6r+5.

@group(0) @binding(0) var<storage, read> inputs: array<u32>;
@group(0) @binding(1) var<storage, read_write> outputs: array<vec4<u32>>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.x;
  if (r >= arrayLength(&outputs)) {
    return;
  }
  let b = 6u * r;
  let ctr = vec4<u32>(inputs[b], inputs[b + 1u], inputs[b + 2u], inputs[b + 3u]);
  outputs[r] = philox4x32_10(ctr, vec2<u32>(inputs[b + 4u], inputs[b + 5u]));
}
