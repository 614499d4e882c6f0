// A CPU sampler worker thread: rebuilds the Engine over the shared buffers it is sent and runs
// sweeps / measurement runs on the unit ranges the main thread assigns.
import { parentPort } from "node:worker_threads";
import { Engine, type EngineDescriptor } from "./engine.js";

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
    };

export interface WorkerReply {
  id: number;
  error?: string;
}

let engine: Engine | null = null;

function handle(msg: WorkerRequest): void {
  if (msg.type === "init") {
    engine = new Engine(msg.desc);
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
