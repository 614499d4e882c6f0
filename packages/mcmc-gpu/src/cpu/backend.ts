// The CPU backend: the reference implementation of SPEC.md. Spins and thresholds live in
// SharedArrayBuffers so that worker threads can share the work without copying.
import { cpus } from "node:os";
import { type Couplings, defaultThreads, N_TERMS, plural } from "@physml/lattice-core";
import type { BackendInit, RawMeasurements, SamplerBackend } from "../backend.js";
import { philox4x32, philoxKey } from "../rng/philox.js";
import { barrierBuffer } from "./barrier.js";
import { Engine, type EngineDescriptor, type MeasureTarget } from "./engine.js";
import { cpuKernel } from "./kernel/registry.js";
import { N_FEATURES } from "./measure.js";
import { WorkerPool } from "./pool.js";
import { sharedBuffer } from "./shared-buffer.js";
import { latticeTables } from "./tables.js";

/** Options of the CPU backend. */
export interface CpuBackendOptions {
  /** Threads to use including the main thread (default: the machine's available parallelism). */
  threads?: number;
  /**
   * Minimum estimated work of one call, in nanoseconds of single-thread time, before worker
   * threads are used. Measured on the 2-core machine: a job round trip costs 50–70 µs, and
   * 2 threads beat 1 from about 0.2 ms of work per call (packed, 64 chains: L = 16 is faster on
   * one thread, L = 32 on two). Default 0.2 ms; 0 forces workers (tests).
   */
  parallelThresholdNs?: number;
  /**
   * Minimum sites per colour class before the sites of a colour are split across threads
   * (used when there are fewer chains/groups than threads). Default 8192; 0 forces it (tests).
   */
  siteSplitMinSites?: number;
  /**
   * Minimum estimated work of a call before the worker threads are first started (starting
   * them costs ~50 ms from dist/, ~0.5 s from the TypeScript sources). Default 0.1 s; 0 when
   * `parallelThresholdNs` is 0.
   */
  workerStartThresholdNs?: number;
  /**
   * Run the replica-packed kernel in WebAssembly SIMD when the engine supports it (default
   * true); false forces the JavaScript packed kernel (tests, benchmarks). Bit-identical either way.
   */
  simd?: boolean;
}

type Plan = { mode: "single" | "units" | "sites"; parts: number };

/** Initial spins of SPEC.md ("Initial state"): hot spins come from Philox counter (c, ~0, ~0, i/4). */
function initialChain(nSites: number, c: number, hot: boolean, k0: number, k1: number, out: Int8Array): void {
  if (!hot) {
    out.fill(1);
    return;
  }
  const w = new Uint32Array(4);
  for (let i = 0; i < nSites; i++) {
    if ((i & 3) === 0) philox4x32(k0, k1, c, 0xffffffff, 0xffffffff, i >> 2, w);
    out[i] = w[i & 3] < 0x80000000 ? 1 : -1;
  }
}

class CpuBackend implements SamplerBackend {
  readonly name = "cpu" as const;
  readonly adapter: string;
  private count = 0;
  private readonly engine: Engine;
  private readonly pool: WorkerPool | null;
  private readonly threads: number;
  private readonly threshold: number;
  private readonly splitMinSites: number;
  private readonly startThreshold: number;
  private readonly chains: number;
  private readonly nSites: number;
  private disposed = false;

  constructor(
    private readonly init: BackendInit,
    opts: CpuBackendOptions,
  ) {
    const { lattice, chains, kernel, colours } = init;
    const [k0, k1] = philoxKey(init.seed);
    this.chains = chains;
    this.nSites = lattice.nSites;
    const desc: EngineDescriptor = {
      kind: kernel,
      Lx: lattice.Lx,
      Ly: lattice.Ly,
      colours,
      chains,
      k0,
      k1,
      ...cpuKernel(kernel).allocate(this.nSites, chains, { simd: opts.simd !== false }),
    };
    this.engine = new Engine(desc, latticeTables(lattice, colours));
    this.threads = Math.max(1, Math.floor(opts.threads ?? defaultThreads()));
    this.threshold = opts.parallelThresholdNs ?? 2e5;
    this.splitMinSites = opts.siteSplitMinSites ?? 8192;
    this.startThreshold = opts.workerStartThresholdNs ?? (opts.parallelThresholdNs === 0 ? 0 : 1e8);
    this.pool = this.threads > 1 ? new WorkerPool(this.threads - 1, desc) : null;
    const model = cpus()[0]?.model?.trim() || "unknown CPU";
    const code = this.engine.kernel.code;
    this.adapter = `${model} (${plural(this.threads, "thread")}, ${code})`;
    this.setCouplings(init.couplings);
    const chain = new Int8Array(this.nSites);
    for (let c = 0; c < chains; c++) {
      initialChain(this.nSites, c, init.init === "hot", k0, k1, chain);
      this.engine.kernel.writeChain(c, chain);
    }
  }

  get sweepCount(): number {
    return this.count;
  }

  setCouplings(couplings: Couplings[]): void {
    this.live();
    this.engine.kernel.setCouplings(couplings, this.init.lattice);
  }

  /** Work units as threads may split them (128-chain vectors for the SIMD kernel). */
  private get splitUnits(): number {
    return Math.ceil(this.engine.units / this.engine.unitAlign);
  }

  /**
   * Splits the units into `parts` contiguous ranges of nearly equal size, each starting at a
   * multiple of the engine's unit alignment.
   */
  private ranges(parts: number): [number, number][] {
    const u = this.splitUnits;
    const a = this.engine.unitAlign;
    const cut = (k: number) => Math.min(this.engine.units, a * Math.floor((u * k) / parts));
    return Array.from({ length: parts }, (_, k) => [cut(k), cut(k + 1)]);
  }

  /**
   * How to spread a call over threads: single-threaded when the work is too small to pay for
   * the messaging; split by units (chains / groups) when there are enough of them; otherwise
   * split the sites of every colour across threads, with a barrier after each colour.
   */
  private plan(sweeps: number): Plan {
    if (!this.pool) return { mode: "single", parts: 1 };
    const units = this.splitUnits;
    const work = this.engine.kernel.nsPerSite * this.nSites * this.engine.units * sweeps;
    if (work < this.threshold || (!this.pool.started && work < this.startThreshold))
      return { mode: "single", parts: 1 };
    const threads = this.pool.size + 1;
    if (units >= threads) return { mode: "units", parts: threads };
    if (this.nSites / this.init.colours >= this.splitMinSites) return { mode: "sites", parts: threads };
    if (units >= 2) return { mode: "units", parts: units };
    return { mode: "single", parts: 1 };
  }

  /** Site-split sweeps on all threads (plan mode "sites"). */
  private async splitSweeps(parts: number, n0: number, count: number): Promise<void> {
    if (count <= 0 || !this.pool) return;
    const barrier = barrierBuffer();
    await this.pool.run(
      Array.from({ length: parts - 1 }, (_, k) => ({
        type: "split" as const,
        part: k + 1,
        parts,
        n0,
        count,
        barrier: barrier.buffer as SharedArrayBuffer,
      })),
      () => this.engine.sweepsSplit(0, parts, n0, count, barrier),
    );
  }

  async sweep(n: number): Promise<void> {
    this.live();
    const n0 = this.count;
    const plan = this.plan(n);
    if (plan.mode === "single" || !this.pool) {
      this.engine.sweeps(0, this.engine.units, n0, n);
    } else if (plan.mode === "sites") {
      await this.splitSweeps(plan.parts, n0, n);
    } else {
      const [main, ...rest] = this.ranges(plan.parts);
      await this.pool.run(
        rest.map(([from, to]) => ({ type: "sweeps" as const, from, to, n0, count: n })),
        () => this.engine.sweeps(main[0], main[1], n0, n),
      );
    }
    this.count = (this.count + n) >>> 0;
  }

  async measure(sweeps: number, every: number, withConfigurations: boolean): Promise<RawMeasurements> {
    this.live();
    const samples = Math.floor(sweeps / every);
    const n0 = this.count;
    const plan = this.plan(sweeps);
    const shared = plan.mode === "units";
    const alloc = (bytes: number) => (shared ? sharedBuffer(bytes) : new ArrayBuffer(bytes));
    const rows = this.chains * samples;
    const termsBuf = alloc(rows * N_TERMS * 8);
    const featuresBuf = alloc(rows * N_FEATURES * 8);
    const confBuf = withConfigurations ? alloc(rows * this.nSites) : null;
    const target: MeasureTarget = {
      samples,
      terms: new Float64Array(termsBuf, 0, rows * N_TERMS),
      features: new Float64Array(featuresBuf, 0, rows * N_FEATURES),
      configurations: confBuf ? new Int8Array(confBuf, 0, rows * this.nSites) : undefined,
    };
    if (plan.mode === "single" || !this.pool) {
      this.engine.measureRun(0, this.engine.units, n0, sweeps, every, target);
    } else if (plan.mode === "sites") {
      // Sweeps on all threads, measurements on this one between them.
      let sweep = n0;
      for (let t = 0; t < samples; t++) {
        await this.splitSweeps(plan.parts, sweep, every);
        sweep += every;
        this.engine.recordAll(t, target);
      }
      await this.splitSweeps(plan.parts, sweep, n0 + sweeps - sweep);
    } else {
      const [main, ...rest] = this.ranges(plan.parts);
      await this.pool.run(
        rest.map(([from, to]) => ({
          type: "measure" as const,
          from,
          to,
          n0,
          sweeps,
          every,
          samples,
          terms: termsBuf as SharedArrayBuffer,
          features: featuresBuf as SharedArrayBuffer,
          configurations: confBuf as SharedArrayBuffer | null,
        })),
        () => this.engine.measureRun(main[0], main[1], n0, sweeps, every, target),
      );
    }
    this.count = (this.count + sweeps) >>> 0;
    return { chains: this.chains, ...target };
  }

  async snapshot(): Promise<Int8Array> {
    this.live();
    const out = new Int8Array(this.chains * this.nSites);
    for (let c = 0; c < this.chains; c++) this.engine.kernel.readChain(c, out, c * this.nSites);
    return out;
  }

  async restore(spins: Int8Array, sweepCount: number): Promise<void> {
    this.live();
    for (let c = 0; c < this.chains; c++)
      this.engine.kernel.writeChain(c, spins.subarray(c * this.nSites, (c + 1) * this.nSites));
    this.count = sweepCount >>> 0;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.pool?.dispose();
  }

  private live(): void {
    if (this.disposed) throw new Error("mcmc-gpu: the CPU backend was disposed");
  }
}

/** Creates the CPU backend (the reference implementation of SPEC.md). */
export async function createCpuBackend(
  init: BackendInit,
  opts: CpuBackendOptions = {},
): Promise<SamplerBackend> {
  return new CpuBackend(init, opts);
}
