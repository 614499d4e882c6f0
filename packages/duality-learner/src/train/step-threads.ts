// The groups' steps on two threads. In the exact mode a step's work is one independent job per
// (group, slot) — see ./slot-step.ts — so the jobs are cut into two runs, in (group, slot)
// order: this thread computes the first, a worker thread the second, and each group's step is
// then finished here from its slots' results in slot order. Every job computes the numbers the
// single-threaded step computes from the same memory, so the results are bit-identical. The
// worker keeps a copy of every group's memory, sent one entry a step (the whole memory when it
// has not seen the group: a resumed run, a retry). The other modes stay on this thread.
import { availableParallelism } from "node:os";
import { checkInt } from "@physml/lattice-core";
import { RequestWorker, siblingModule } from "@physml/lattice-core/threads";
import type { DualityConfig } from "../config.js";
import type { MemoryPool } from "./memory-pool.js";
import { type SlotResult, slotStep } from "./slot-step.js";
import {
  beginExactStep,
  endExactStep,
  type GroupState,
  isExactMode,
  type MemoryEntry,
  type StepContext,
  type StepData,
  type StepOutput,
  stepGroup,
} from "./steps.js";

/** A memory entry as sent to the worker (its image cache stays behind). */
export type EntryData = Omit<MemoryEntry, "images">;

/** One group's share of the worker's jobs in a step. */
export interface GroupJobs {
  /** The group's id in the worker's copies. */
  id: number;
  /** Couplings at the start of the step (the memory is reweighted to them). */
  t: number[];
  /** This step's entry, for a group the worker holds… */
  entry?: EntryData;
  /** …or the whole memory (this step's entry last), for a group it does not. */
  memory?: EntryData[];
  slots: { k: number; prev: [number, number] | null }[];
  globalSearch: boolean;
}

/** What the step worker is asked: its context once, then every step's jobs. */
export type StepRequest =
  | { type: "init"; config: DualityConfig; targetMean: Float64Array }
  | { type: "step"; groups: GroupJobs[] };

/** The worker's answer: nothing to `init`, per group the results of its slots to `step`. */
export type StepReply = SlotResult[][] | null;

/** The threads the learner's steps use by default: the machine's cores, at most 2. */
export function defaultStepThreads(): number {
  return Math.min(2, availableParallelism());
}

function entryData(e: MemoryEntry): EntryData {
  return { t: e.t, terms: e.terms, samples: e.samples, x: e.x, computed: e.computed };
}

/** Runs the groups' steps, on two threads when asked for and the mode allows it. */
export class GroupStepper {
  private readonly worker: RequestWorker<StepRequest, StepReply> | null;
  private readonly ids = new WeakMap<GroupState, number>();
  private nextId = 1;
  /** The groups whose memory the worker holds. */
  private held = new Set<number>();
  private initialised = false;

  /**
   * `threads` (an integer ≥ 1, default {@link defaultStepThreads}): 1 keeps every step on this
   * thread; more use one worker thread.
   */
  constructor(
    private readonly ctx: StepContext,
    threads = defaultStepThreads(),
  ) {
    checkInt("threads", threads, 1, 1024);
    this.worker =
      threads > 1 && isExactMode(ctx)
        ? new RequestWorker<StepRequest, StepReply>(siblingModule(import.meta.url, "step-worker"))
        : null;
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
    if (!worker) return groups.map((gs, g) => stepGroup(ctx, gs, data[g]));
    const works = groups.map((gs, g) => beginExactStep(ctx, gs, data[g]));
    const jobs = works.flatMap((w, g) => w.slots.map((k) => [g, k] as const));
    // The worker takes the second half: with many groups that is whole groups, with one group
    // half its slots (which then both sum the newest samples' images).
    const cut = Math.ceil(jobs.length / 2);
    const remote: GroupJobs[] = groups.map((gs, g) => {
      const id = this.idOf(gs);
      const held = this.held.has(id);
      const newest = gs.memory[gs.memory.length - 1];
      return {
        id,
        t: [...gs.t],
        ...(held ? { entry: entryData(newest) } : { memory: gs.memory.map(entryData) }),
        slots: jobs
          .slice(cut)
          .filter(([h]) => h === g)
          .map(([, k]) => ({ k, prev: gs.heads[k] })),
        globalSearch: works[g].globalSearch,
      };
    });
    const init = this.initialised
      ? null
      : worker.request({ type: "init", config: ctx.config, targetMean: ctx.target });
    this.initialised = true;
    this.held = new Set(remote.map((r) => r.id));
    const reply = worker.request({ type: "step", groups: remote });
    // Keep a failed request from being reported as unhandled while this thread works.
    reply.catch(() => {});
    init?.catch(() => {});
    const local: SlotResult[][] = groups.map(() => []);
    const pools = groups.map(() => new Map<string, MemoryPool>());
    try {
      for (const [g, k] of jobs.slice(0, cut))
        local[g].push(slotStep(ctx, groups[g], k, groups[g].heads[k], works[g].globalSearch, pools[g]));
      await init;
      const far = (await reply) as SlotResult[][];
      return groups.map((gs, g) => endExactStep(ctx, gs, data[g], works[g], [...local[g], ...far[g]]));
    } catch (e) {
      // The worker's copies can no longer be trusted: the next step starts it afresh.
      this.initialised = false;
      this.held = new Set();
      throw e;
    }
  }

  /** Stops the worker thread. */
  async dispose(): Promise<void> {
    await this.worker?.terminate();
    this.initialised = false;
    this.held = new Set();
  }
}
