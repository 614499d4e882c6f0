// The worker thread of ./step-threads.ts: holds a copy of every group's memory, sums the images
// of new samples it is asked for, and computes the slot jobs it is sent with the same code as
// the main thread.
import { serveRequests, WorkerThreadError } from "@physml/lattice-core/threads";
import { imageSums } from "../model/moment-plan.js";
import type { ExactGroup, MemoryEntry } from "./group-state.js";
import { type MemoryPool, remember } from "./memory-pool.js";
import { type SlotContext, type SlotResult, slotStep } from "./slot-step.js";
import type { EntryData, GroupEntry, GroupSlots, StepReply, StepRequest } from "./step-threads.js";

type Memory = Pick<ExactGroup, "memory" | "t">;

let ctx: SlotContext | null = null;
let groups = new Map<number, Memory>();

const entry = (e: EntryData): MemoryEntry => ({ ...e, images: [] });

function contextOf(): SlotContext {
  if (!ctx) throw new WorkerThreadError("step worker: a step before its init");
  return ctx;
}

/** Takes in the groups' new entries (dropping the groups not named) and sums the images asked for. */
function entries(jobs: GroupEntry[]): Float64Array[][] {
  const c = contextOf();
  const next = new Map<number, Memory>();
  const out = jobs.map((job) => {
    const held = groups.get(job.id);
    let m: Memory;
    if (job.memory) m = { memory: job.memory.map(entry), t: job.t };
    else if (held && job.entry) {
      m = held;
      remember(m.memory, entry(job.entry), c.config.optimizer.memory);
      m.t = job.t;
    } else throw new WorkerThreadError(`step worker: no memory of group ${job.id}`);
    next.set(job.id, m);
    const newest = m.memory[m.memory.length - 1];
    const sums = imageSums(c.momentPlan, newest.x, newest.samples, job.images);
    job.images.forEach((id, i) => {
      (newest.images as (Float64Array | null)[])[id] = sums[i];
    });
    return sums;
  });
  groups = next;
  return out;
}

function slots(jobs: GroupSlots[]): SlotResult[][] {
  const c = contextOf();
  return jobs.map((job) => {
    const m = groups.get(job.id);
    if (!m) throw new WorkerThreadError(`step worker: no memory of group ${job.id}`);
    const newest = m.memory[m.memory.length - 1];
    job.images.forEach((id, i) => {
      (newest.images as (Float64Array | null)[])[id] = job.sums[i];
    });
    const pools = new Map<string, MemoryPool>();
    return job.slots.map(({ k, prev }) => slotStep(c, m, k, prev, job.globalSearch, pools));
  });
}

serveRequests<StepRequest, StepReply>((req) => {
  if (req.type === "init") {
    // The main thread's own context (stepContextOf), so no table is built twice.
    ctx = req.ctx;
    groups = new Map();
    return null;
  }
  return req.type === "entries" ? entries(req.groups) : slots(req.groups);
});
