// What the generated model kernels share: the per-dispatch parameter struct, the lattice
// constants and coordinate/neighbour code derived from a model's stencil, the colour classes
// as one site list, and the batched (sweep, kernel, colour) dispatch loop.
import { type GpuContext, withGpuErrors } from "@physml/gpu-device";
import type { ModelTables } from "@physml/lattice-core";
import { makeBuffer, waitIdle } from "./gpu-util.js";

const mod = (a: number, m: number): number => ((a % m) + m) % m;

/** The Pass struct (one entry per dispatch at a dynamic offset), lattice constants and `site_xyz`. */
export function modelWgslPrelude(tb: ModelTables): string {
  const [LX, LY = 1, LZ = 1] = tb.lattice.sides;
  return `
struct Pass {
  key: vec2<u32>,
  sweep: u32,
  colour: u32,
  start: u32,
  size: u32,
  pad0: u32,
  pad1: u32,
}

const LX: u32 = ${LX}u;
const LY: u32 = ${LY}u;
const LZ: u32 = ${LZ}u;
const N_SITES: u32 = ${tb.lattice.nSites}u;
`;
}

/**
 * WGSL lines `let <name><m> = <wrap>(site of i + neighbourOffsets[m]);` for every stencil offset
 * (x, y, z of site i must be in scope).
 */
export function neighbourLines(tb: ModelTables, name: string, wrap: (site: string) => string): string[] {
  const [LX, LY = 1, LZ = 1] = tb.lattice.sides;
  const coords = ["x", "y", "z"];
  const sides = ["LX", "LY", "LZ"];
  return tb.neighbourOffsets.map((o, m) => {
    const [dx, dy = 0, dz = 0] = o;
    const site = `(x + ${mod(dx, LX)}u) % LX + LX * ((y + ${mod(dy, LY)}u) % LY + LY * ((z + ${mod(dz, LZ)}u) % LZ))`;
    // Twisted axes: the neighbour changes sign once per wrap. With d = q·L + r (0 ≤ r < L) the
    // wraps from coordinate c are q + ⌊(c + r)/L⌋, as lattice-core's PeriodicLattice.shiftSign.
    const parities: string[] = [];
    tb.lattice.twist.forEach((t, d) => {
      if (!t) return;
      const L = tb.lattice.sides[d];
      const r = mod(o[d], L);
      const q = (o[d] - r) / L;
      parities.push(`(${coords[d]} + ${r}u) / ${sides[d]} + ${mod(q, 2)}u`);
    });
    if (parities.length === 0) return `  let ${name}${m} = ${wrap(site)};`;
    const odd = `((${parities.join(" + ")}) & 1u) == 1u`;
    return `  let ${name}${m} = select(1, -1, ${odd}) * ${wrap(site)};`;
  });
}

/** The colour classes as one u32 site list and each class's start in it. */
export function concatClasses(classes: readonly Int32Array[]): { sites: Uint32Array; starts: number[] } {
  const sites = new Uint32Array(classes.reduce((a, c) => a + c.length, 0));
  const starts: number[] = [];
  let o = 0;
  for (const c of classes) {
    starts.push(o);
    sites.set(c, o);
    o += c.length;
  }
  return { sites, starts };
}

/** One dispatch: (sweep n, pipeline, colour class k). */
export type Pass = [number, GPUComputePipeline, number];

/** "vendor architecture description" of the context's adapter (a model backend's `adapter`). */
export function adapterText(ctx: GpuContext): string {
  return `${ctx.adapter.vendor} ${ctx.adapter.architecture} ${ctx.adapter.description}`.trim();
}

/** Dispatches per submit (each needs one uniform entry). */
const BATCH = 256;

/** Runs (sweep n, pipeline, colour k) passes in batches, parameters at dynamic uniform offsets. */
export class PassRunner {
  private readonly stride: number;
  readonly params: GPUBuffer;

  constructor(
    private readonly ctx: GpuContext,
    private readonly kernel: string,
    private readonly key: [number, number],
    private readonly classes: readonly Int32Array[],
    private readonly starts: readonly number[],
    private readonly chains: number,
    /** Class positions handled by one invocation (4 for one Philox block per invocation). */
    private readonly perInvocation: number,
  ) {
    this.stride = Math.max(256, ctx.device.limits.minUniformBufferOffsetAlignment);
    this.params = makeBuffer(
      ctx.device,
      `${kernel}.params`,
      BATCH * this.stride,
      GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    );
  }

  /** One pass per colour class of sweep n, all with `pipeline`, in class order. */
  colourPasses(n: number, pipeline: GPUComputePipeline): Pass[] {
    return this.classes.map((_, k): Pass => [n, pipeline, k]);
  }

  async run(bind: GPUBindGroup, passes: readonly Pass[]): Promise<void> {
    const { device } = this.ctx;
    for (let b = 0; b < passes.length; b += BATCH) {
      const batch = passes.slice(b, b + BATCH);
      const words = new Uint32Array((batch.length * this.stride) / 4);
      batch.forEach(([n, , k], e) => {
        words.set(
          [this.key[0], this.key[1], n >>> 0, k, this.starts[k], this.classes[k].length],
          (e * this.stride) / 4,
        );
      });
      await withGpuErrors(this.ctx, this.kernel, () => {
        device.queue.writeBuffer(this.params, 0, words);
        const enc = device.createCommandEncoder({ label: this.kernel });
        batch.forEach(([, pipeline, k], e) => {
          const pass = enc.beginComputePass();
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, bind, [e * this.stride]);
          pass.dispatchWorkgroups(
            Math.ceil(Math.ceil(this.classes[k].length / this.perInvocation) / 64),
            this.chains,
          );
          pass.end();
        });
        device.queue.submit([enc.finish()]);
      });
      await waitIdle(this.ctx, this.kernel);
    }
  }
}
