// The worker thread of ./step-threads.ts: holds a copy of every group's memory and computes the
// slot jobs it is sent with the same code as the main thread.
import { squareLattice } from "@physml/lattice-core";
import { serveRequests, WorkerThreadError } from "@physml/lattice-core/threads";
import { resolveShapes } from "../model/shapes.js";
import type { MemoryPool } from "./memory-pool.js";
import { slotStep } from "./slot-step.js";
import { stepContextOf } from "./step-context.js";
import type { EntryData, StepReply, StepRequest } from "./step-threads.js";
import type { GroupState, MemoryEntry, StepContext } from "./steps.js";

type Memory = Pick<GroupState, "memory" | "t">;

let ctx: StepContext | null = null;
let groups = new Map<number, Memory>();

const entry = (e: EntryData): MemoryEntry => ({ ...e, images: [] });

serveRequests<StepRequest, StepReply>((req) => {
  if (req.type === "init") {
    const c = req.config;
    ctx = stepContextOf(c, squareLattice(c.L, c.Ly ?? c.L), resolveShapes(c.shapes), req.targetMean);
    groups = new Map();
    return null;
  }
  const context = ctx;
  if (!context) throw new WorkerThreadError("step worker: a step before its init");
  const next = new Map<number, Memory>();
  const out = req.groups.map((job) => {
    const held = groups.get(job.id);
    let m: Memory;
    if (job.memory) m = { memory: job.memory.map(entry), t: job.t };
    else if (held && job.entry) {
      m = held;
      m.memory.push(entry(job.entry));
      while (m.memory.length > context.config.optimizer.memory) m.memory.shift();
      m.t = job.t;
    } else throw new WorkerThreadError(`step worker: no memory of group ${job.id}`);
    next.set(job.id, m);
    const pools = new Map<string, MemoryPool>();
    return job.slots.map(({ k, prev }) => slotStep(context, m, k, prev, job.globalSearch, pools));
  });
  groups = next;
  return out;
});
