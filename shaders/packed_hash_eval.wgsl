// Evaluates packed_word on a list of inputs: the GPU side of the known-answer and
// CPU-agreement tests. Input record q: block words r = words 4q..4q+3 (x, y, z used), code
// c = codes[q].

@group(0) @binding(0) var<storage, read> blocks: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read> codes: array<u32>;
@group(0) @binding(2) var<storage, read_write> outputs: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let q = gid.x;
  if (q >= arrayLength(&outputs)) {
    return;
  }
  outputs[q] = packed_word(blocks[q], codes[q]);
}
