// The groups' steps on two threads. In the exact mode a step's work is one independent job per
// (group, slot) — see ./slot-step.ts. With several groups (exploration) the worker thread takes
// every other group, always the same ones, so each thread keeps the image sums of
// its groups' memories; with one group (training) it takes the second half of the group's slots,
// and the sums of the shape images of the step's samples, which all those slots read, are split
// between the threads and exchanged (they are exact, whichever thread forms them). Each group's
// step is then finished here from its slots' results in slot order. Every job computes the
// numbers the single-threaded step computes from the same memory, so the results are
// bit-identical. The worker keeps a copy of every group's memory, sent one entry a step (the
// whole memory when it has not seen the group: a resumed run, a retry). The other modes stay on
// this thread.
import { defaultThreads } from "@physml/lattice-core";
import { RequestWorker, siblingModule } from "@physml/lattice-core/threads";
import { updateRule } from "../config.js";
import { imageSums } from "../model/moment-plan.js";
import { beginExactStep, endExactStep, type SlotWork } from "./exact-rule.js";
import type { ExactGroup, GroupState, MemoryEntry } from "./group-state.js";
import type { MemoryPool } from "./memory-pool.js";
import { type SlotContext, type SlotResult, slotStep } from "./slot-step.js";
import type { StepContext } from "./step-context.js";
import type { StepData, StepOutput } from "./step-data.js";
import { stepGroup } from "./steps.js";

/** A memory entry as sent to the worker (its image cache stays behind). */
export type EntryData = Omit<MemoryEntry, "images">;

/** A group's new samples for the worker's copy, and the images of them it is to sum. */
export interface GroupEntry {
  /** The group's id in the worker's copies. */
  id: number;
  /** Couplings at the start of the step (the memory is reweighted to them). */
  t: number[];
  /** This step's entry, for a group the worker holds… */
  entry?: EntryData;
  /** …or the whole memory (this step's entry last), for a group it does not. */
  memory?: EntryData[];
  /** Images of this step's entry the worker sums and sends back. */
  images: number[];
}

/** A group's slot jobs for the worker, with the image sums this thread formed. */
export interface GroupSlots {
  id: number;
  slots: { k: number; prev: [number, number] | null }[];
  globalSearch: boolean;
  images: number[];
  sums: Float64Array[];
}

/** What the step worker is asked: its context once, then every step's entries and slot jobs. */
export type StepRequest =
  | { type: "init"; ctx: SlotContext }
  | { type: "entries"; groups: GroupEntry[] }
  | { type: "slots"; groups: GroupSlots[] };

/**
 * The worker's answer: nothing to `init`, per group the requested image sums to `entries` and
 * the results of its slots to `slots`.
 */
export type StepReply = Float64Array[][] | SlotResult[][] | null;

/** The threads the learner's steps use by default: the process's thread budget, at most 2. */
export function defaultStepThreads(): number {
  return Math.min(2, defaultThreads());
}

function entryData(e: MemoryEntry): EntryData {
  return { t: e.t, terms: e.terms, samples: e.samples, x: e.x, computed: e.computed };
}

/** The distinct images the given slots read. */
function imagesOf(ctx: StepContext, slots: readonly number[]): number[] {
  const A = ctx.layout.shapes.length;
  return [...new Set(slots.flatMap((k) => [...ctx.momentPlan.imageOf.subarray(k * A, (k + 1) * A)]))];
}

/** How many of each group's slots (its first ones) this thread computes; the worker takes the rest. */
function shareOf(works: readonly SlotWork[]): number[] {
  const G = works.length;
  if (G === 1) return [Math.ceil(works[0].slots.length / 2)];
  // Every other group: neighbouring starts keep similar numbers of slots alive.
  return works.map((w, g) => (g % 2 === 0 ? w.slots.length : 0));
}

/** Runs the groups' steps, on two threads when asked for and the mode allows it. */
export class GroupStepper {
  private readonly worker: RequestWorker<StepRequest, StepReply> | null;
  private readonly ids = new WeakMap<GroupState, number>();
  private nextId = 1;
  /** The groups whose memory the worker holds. */
  private held = new Set<number>();
  /** The worker's init request, sent at construction so that its start overlaps the sampler's. */
  private init: Promise<StepReply> | null = null;

  /**
   * `threads` (default {@link defaultStepThreads}): 1 keeps every step on this thread; more use
   * one worker thread, started here.
   */
  constructor(
    private readonly ctx: StepContext,
    threads = defaultStepThreads(),
  ) {
    this.worker =
      threads > 1 && updateRule(ctx.config) === "exact"
        ? new RequestWorker<StepRequest, StepReply>(siblingModule(import.meta.url, "step-worker"))
        : null;
    this.initWorker();
  }

  private initWorker(): void {
    const { config, layout, momentPlan, target, termIndices } = this.ctx;
    this.init =
      this.worker?.request({ type: "init", ctx: { config, layout, momentPlan, target, termIndices } }) ??
      null;
    // Keep a failed start from being reported as unhandled before the first step awaits it.
    this.init?.catch(() => {});
  }

  private idOf(gs: GroupState): number {
    let id = this.ids.get(gs);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(gs, id);
    }
    return id;
  }

  /** One step of every group, group g on `data[g]`; updates the groups in place. */
  async step(groups: readonly GroupState[], data: readonly StepData[]): Promise<StepOutput[]> {
    const { ctx, worker } = this;
    // The worker runs only for the exact rule, whose groups these are then.
    if (!worker || !groups.every((gs): gs is ExactGroup => gs.rule === "exact"))
      return groups.map((gs, g) => stepGroup(ctx, gs, data[g]));
    const works = groups.map((gs, g) => beginExactStep(ctx, gs, data[g]));
    const share = shareOf(works);
    // A group split between the threads: each sums half the images of its new samples.
    const split = works.map((w, g) =>
      share[g] > 0 && share[g] < w.slots.length ? imagesOf(ctx, w.slots) : [],
    );
    const mine = split.map((ids) => ids.slice(0, Math.ceil(ids.length / 2)));
    const theirs = split.map((ids) => ids.slice(Math.ceil(ids.length / 2)));
    const entries: GroupEntry[] = groups.map((gs, g) => {
      const id = this.idOf(gs);
      const newest = gs.memory[gs.memory.length - 1];
      return {
        id,
        t: [...gs.t],
        ...(this.held.has(id) ? { entry: entryData(newest) } : { memory: gs.memory.map(entryData) }),
        images: theirs[g],
      };
    });
    if (!this.init) this.initWorker();
    const init = this.init;
    this.held = new Set(entries.map((e) => e.id));
    const sent = worker.request({ type: "entries", groups: entries });
    const newest = groups.map((gs) => gs.memory[gs.memory.length - 1]);
    const mySums = groups.map((_, g) => imageSums(ctx.momentPlan, newest[g].x, newest[g].samples, mine[g]));
    const jobs = worker.request({
      type: "slots",
      groups: groups.map((gs, g) => ({
        id: entries[g].id,
        slots: works[g].slots.slice(share[g]).map((k) => ({ k, prev: gs.heads[k] })),
        globalSearch: works[g].globalSearch,
        images: mine[g],
        sums: mySums[g],
      })),
    });
    // Keep a failed request from being reported as unhandled while this thread works.
    for (const r of [sent, jobs]) r.catch(() => {});
    try {
      await init;
      const theirSums = (await sent) as Float64Array[][];
      const local = groups.map((gs, g) => {
        const cache = newest[g].images as (Float64Array | null)[];
        mine[g].forEach((id, i) => {
          cache[id] = mySums[g][i];
        });
        theirs[g].forEach((id, i) => {
          cache[id] = theirSums[g][i];
        });
        const pools = new Map<string, MemoryPool>();
        return works[g].slots
          .slice(0, share[g])
          .map((k) => slotStep(ctx, gs, k, gs.heads[k], works[g].globalSearch, pools));
      });
      const far = (await jobs) as SlotResult[][];
      return groups.map((gs, g) => endExactStep(ctx, gs, data[g], works[g], [...local[g], ...far[g]]));
    } catch (e) {
      // The worker's copies can no longer be trusted: the next step starts it afresh.
      this.init = null;
      this.held = new Set();
      throw e;
    }
  }

  /** Stops the worker thread. */
  async dispose(): Promise<void> {
    await this.worker?.terminate();
    this.init = null;
    this.held = new Set();
  }
}
