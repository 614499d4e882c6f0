// A CPU sampler worker thread: rebuilds the Engine (square kernels) or the ModelEngine (model
// samplers) over the shared buffers it is sent and runs sweeps / measurement runs on the unit
// ranges the main thread assigns.
import { parentPort } from "node:worker_threads";
import { ModelEngine, type ModelEngineDescriptor } from "../model/engine.js";
import { Engine, type EngineDescriptor } from "./engine.js";

/** What every model job carries: the O(n) adaptation switch and the current couplings. */
interface ModelJob {
  adapting: boolean;
  couplings: number[];
}

export type WorkerRequest =
  | { type: "init"; id: number; desc: EngineDescriptor }
  | { type: "sweeps"; id: number; from: number; to: number; n0: number; count: number }
  | {
      type: "split";
      id: number;
      part: number;
      parts: number;
      n0: number;
      count: number;
      barrier: SharedArrayBuffer;
    }
  | {
      type: "measure";
      id: number;
      from: number;
      to: number;
      n0: number;
      sweeps: number;
      every: number;
      samples: number;
      terms: SharedArrayBuffer;
      features: SharedArrayBuffer;
      configurations: SharedArrayBuffer | null;
    }
  | { type: "model-init"; id: number; desc: ModelEngineDescriptor }
  | ({ type: "model-sweeps"; id: number; from: number; to: number; n0: number; count: number } & ModelJob)
  | ({
      type: "model-split";
      id: number;
      part: number;
      parts: number;
      n0: number;
      count: number;
      barrier: SharedArrayBuffer;
      counts: SharedArrayBuffer;
    } & ModelJob);

export interface WorkerReply {
  id: number;
  error?: string;
}

let engine: Engine | null = null;
let modelEngine: ModelEngine | null = null;

function modelJob(job: ModelJob): ModelEngine {
  if (!modelEngine) throw new Error("worker used before model-init");
  const terms = modelEngine.state.model.terms;
  if (job.couplings.some((v, t) => v !== terms[t].coupling)) modelEngine.setCouplings(job.couplings);
  modelEngine.setAdapting(job.adapting);
  return modelEngine;
}

function handle(msg: WorkerRequest): void {
  if (msg.type === "init") {
    engine = new Engine(msg.desc);
    return;
  }
  if (msg.type === "model-init") {
    modelEngine = new ModelEngine(msg.desc);
    return;
  }
  if (msg.type === "model-sweeps") {
    modelJob(msg).sweeps(msg.from, msg.to, msg.n0, msg.count);
    return;
  }
  if (msg.type === "model-split") {
    modelJob(msg).sweepsSplit(
      msg.part,
      msg.parts,
      msg.n0,
      msg.count,
      new Int32Array(msg.barrier),
      new Float64Array(msg.counts),
    );
    return;
  }
  if (!engine) throw new Error("worker used before init");
  if (msg.type === "sweeps") {
    engine.sweeps(msg.from, msg.to, msg.n0, msg.count);
    return;
  }
  if (msg.type === "split") {
    engine.sweepsSplit(msg.part, msg.parts, msg.n0, msg.count, new Int32Array(msg.barrier));
    return;
  }
  engine.measureRun(msg.from, msg.to, msg.n0, msg.sweeps, msg.every, {
    samples: msg.samples,
    terms: new Float64Array(msg.terms),
    features: new Float64Array(msg.features),
    configurations: msg.configurations ? new Int8Array(msg.configurations) : undefined,
  });
}

parentPort?.on("message", (msg: WorkerRequest) => {
  const reply: WorkerReply = { id: msg.id };
  try {
    handle(msg);
  } catch (e) {
    reply.error = (e as Error).stack ?? String(e);
  }
  parentPort?.postMessage(reply);
});
