// A small pool of worker threads sharing the sampler's SharedArrayBuffers. The main thread
// always takes the first share of the work itself, so `threads = 2` means one extra worker.
import type { Worker } from "node:worker_threads";
import { siblingModule, startModuleWorker } from "@physml/lattice-core/threads";
import type { ModelEngineDescriptor } from "../model/engine.js";
import type { EngineDescriptor } from "./engine.js";
import type { WorkerReply, WorkerRequest } from "./worker.js";

// Omit distributed over the union members.
type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;
type Request = WithoutId<WorkerRequest>;
type Job = Exclude<Request, { type: "init" | "model-init" }>;

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<
    number,
    { worker: Worker; resolve: () => void; reject: (e: Error) => void }
  >();
  private nextId = 1;
  private ready: Promise<void> | null = null;

  /** True once the workers have been started. */
  get started(): boolean {
    return this.ready !== null;
  }

  /**
   * `size` worker threads (besides the main thread), started lazily on first use, each with an
   * Engine (square kernels) or a ModelEngine (`desc.kind === "model"`) over `desc`'s buffers.
   */
  constructor(
    readonly size: number,
    private readonly desc: EngineDescriptor | ModelEngineDescriptor,
  ) {}

  private start(): Promise<void> {
    this.ready ??= (async () => {
      for (let k = 0; k < this.size; k++) {
        const w = startModuleWorker(siblingModule(import.meta.url, "worker"));
        w.unref(); // idle workers never keep the process alive
        w.on("message", (r: WorkerReply) => this.settle(r));
        w.on("error", (e) => this.fail(w, e));
        w.on("exit", (code) => this.stopped(w, code));
        this.workers.push(w);
      }
      const d = this.desc;
      const init: Request = d.kind === "model" ? { type: "model-init", desc: d } : { type: "init", desc: d };
      await Promise.all(this.workers.map((w) => this.post(w, init)));
    })();
    return this.ready;
  }

  private settle(r: WorkerReply): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    if (r.error) p.reject(new Error(`mcmc-gpu CPU worker failed: ${r.error}`));
    else p.resolve();
  }

  /**
   * A worker stopped (`dispose`, or it died): its jobs still out fail instead of waiting forever,
   * and after a death the other workers are stopped too, so the next `run` starts afresh.
   */
  private stopped(w: Worker, code: number): void {
    this.fail(w, new Error(`mcmc-gpu CPU worker stopped (exit code ${code}) with a job out`));
    if (!this.workers.includes(w)) return; // disposed, or already stopped with the others
    for (const other of this.workers.splice(0)) if (other !== w) void other.terminate();
    this.ready = null;
  }

  /** Rejects the jobs worker `w` has out. */
  private fail(w: Worker, e: Error): void {
    for (const [id, p] of this.pending)
      if (p.worker === w) {
        this.pending.delete(id);
        p.reject(e);
      }
  }

  private post(w: Worker, req: Request): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { worker: w, resolve, reject });
      w.ref(); // keep the process alive while a job is out
      w.postMessage({ ...req, id } as WorkerRequest);
    }).finally(() => w.unref());
  }

  /**
   * Runs `jobs[k]` on worker k (jobs.length ≤ size) while `mainShare` runs on this thread,
   * and resolves when all are done.
   */
  async run(jobs: Job[], mainShare: () => void): Promise<void> {
    await this.start();
    const done = jobs.map((job, k) => this.post(this.workers[k], job));
    let mainError: unknown = null;
    try {
      mainShare();
    } catch (e) {
      mainError = e;
    }
    await Promise.all(done);
    if (mainError) throw mainError;
  }

  async dispose(): Promise<void> {
    const ws = this.workers.splice(0);
    await Promise.all(ws.map((w) => w.terminate()));
    this.ready = null;
  }
}
