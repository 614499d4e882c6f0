// The CPU backend of a model sampler: a ModelEngine over (shared) buffers and, on machines with
// more than one core, the worker pool of the square kernels (cpu/pool.ts). A call is split by
// chains when there are at least as many chains as threads, otherwise by the sites of every
// colour class (barrier after each class); both give the one-thread result bit for bit.
import { cpus } from "node:os";
import { defaultThreads, type Model, plural } from "@physml/lattice-core";
import { barrierBuffer } from "../cpu/barrier.js";
import { WorkerPool } from "../cpu/pool.js";
import type { ModelEngine, ModelEngineDescriptor } from "./engine.js";
import type { ModelBackend } from "./model-backend.js";

/** Thread options of the CPU model backend (the defaults suit real runs; tests force workers). */
export interface CpuModelOptions {
  /** Threads including the main one (default: available parallelism). */
  threads?: number;
  /**
   * Minimum estimated single-thread work of one call (ns) before workers are used: a job round
   * trip costs 50–70 µs on the 2-core machine. Default 0.2 ms; 0 forces workers (tests).
   */
  parallelThresholdNs?: number;
  /** Minimum sites per colour class to split the sites of a class across threads. Default 8192. */
  siteSplitMinSites?: number;
  /**
   * Minimum estimated work of a call before the workers are first started (~50 ms from dist/,
   * ~0.5 s from the TypeScript sources). Default 0.1 s; 0 when `parallelThresholdNs` is 0.
   */
  workerStartThresholdNs?: number;
}

type Plan = { mode: "single" | "chains" | "sites"; parts: number };

// Rough single-thread cost per site update on the 2-core machine (Node 20); only used to decide
// whether a call is worth the messaging.
const NS_PER_SITE = { ising: 40, xy: 40, on: 150, overrelaxation: 30 } as const;

export class CpuModelBackend implements ModelBackend {
  readonly name = "cpu";
  readonly adapter: string;
  private readonly pool: WorkerPool | null;
  private readonly threshold: number;
  private readonly startThreshold: number;
  private readonly splitMin: number;
  private readonly nsPerChainSweep: number;

  constructor(
    readonly engine: ModelEngine,
    opts: CpuModelOptions = {},
  ) {
    const desc: ModelEngineDescriptor = engine.desc;
    const threads = Math.max(1, Math.floor(opts.threads ?? defaultThreads()));
    this.pool = threads > 1 ? new WorkerPool(threads - 1, desc) : null;
    this.threshold = opts.parallelThresholdNs ?? 2e5;
    this.startThreshold = opts.workerStartThresholdNs ?? (opts.parallelThresholdNs === 0 ? 0 : 1e8);
    this.splitMin = opts.siteSplitMinSites ?? 8192;
    const m = engine.state.model;
    const N = engine.rules[0].rule.classes.reduce((a, c) => a + c.length, 0);
    const met =
      m.spin.kind === "ising" ? NS_PER_SITE.ising : m.spin.n === 2 ? NS_PER_SITE.xy : NS_PER_SITE.on;
    this.nsPerChainSweep = N * (met + NS_PER_SITE.overrelaxation * desc.overrelaxation);
    const cpu = cpus()[0]?.model?.trim() || "unknown CPU";
    this.adapter = `${cpu} (${plural(threads, "thread")}, JavaScript)`;
  }

  private plan(count: number): Plan {
    if (!this.pool) return { mode: "single", parts: 1 };
    const chains = this.engine.desc.chains;
    const work = this.nsPerChainSweep * chains * count;
    if (work < this.threshold || (!this.pool.started && work < this.startThreshold))
      return { mode: "single", parts: 1 };
    const threads = this.pool.size + 1;
    if (chains >= threads) return { mode: "chains", parts: threads };
    const minClass = Math.min(...this.engine.rules[0].rule.classes.map((c) => c.length));
    if (minClass >= this.splitMin) return { mode: "sites", parts: threads };
    if (chains >= 2) return { mode: "chains", parts: chains };
    return { mode: "single", parts: 1 };
  }

  async sweep(n0: number, count: number): Promise<void> {
    if (count <= 0) return;
    const plan = this.plan(count);
    const e = this.engine;
    if (plan.mode === "single" || !this.pool) {
      e.sweeps(0, e.desc.chains, n0, count);
      return;
    }
    const job = {
      adapting: e.adaptive?.adapting ?? false,
      couplings: e.state.model.terms.map((t) => t.coupling),
    };
    const parts = plan.parts;
    if (plan.mode === "sites") {
      const barrier = barrierBuffer();
      const countsBuf = new SharedArrayBuffer(8 * parts * e.desc.chains);
      const counts = new Float64Array(countsBuf);
      await this.pool.run(
        Array.from({ length: parts - 1 }, (_, k) => ({
          type: "model-split" as const,
          part: k + 1,
          parts,
          n0,
          count,
          barrier: barrier.buffer as SharedArrayBuffer,
          counts: countsBuf,
          ...job,
        })),
        () => e.sweepsSplit(0, parts, n0, count, barrier, counts),
      );
      return;
    }
    const chains = e.desc.chains;
    const at = (k: number) => Math.floor((chains * k) / parts);
    await this.pool.run(
      Array.from({ length: parts - 1 }, (_, k) => ({
        type: "model-sweeps" as const,
        from: at(k + 1),
        to: at(k + 2),
        n0,
        count,
        ...job,
      })),
      () => e.sweeps(0, at(1), n0, count),
    );
  }

  async spins(): Promise<Int8Array | Float64Array> {
    return this.engine.state.spins;
  }

  setModel(model: Model): void {
    this.engine.setCouplings(model.terms.map((t) => t.coupling));
  }

  async dispose(): Promise<void> {
    await this.pool?.dispose();
  }
}
