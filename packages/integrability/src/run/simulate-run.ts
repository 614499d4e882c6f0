// `physml integrability simulate` in its run directory: the integration checkpoints every
// SIMULATION_CHECKPOINT_SECONDS (the state and the snapshots so far, see simulate-checkpoint.ts),
// and a resumed run continues from its last checkpoint with the same bits, so a killed run loses
// at most that long of integration (plus one snapshot interval of a field). The arrays, result
// (but `seconds`) and report of a resumed run are the uninterrupted run's, byte for byte.
import { finiteOrText } from "@physml/lattice-core";
import { type InRunOutput, type Run, reportHtml } from "@physml/runs";
import { type SimulationConfig, simulationPlan } from "../data/catalogue.js";
import { integrateSlices, type SlicePosition } from "../data/time-slices.js";
import {
  readSimulationCheckpoint,
  removeSnapshotBlocks,
  type SimulationRecord,
  type SnapshotBlock,
  saveFinishedSimulation,
  saveSimulationCheckpoint,
} from "./simulate-checkpoint.js";

/**
 * Seconds of integration between two checkpoints: a checkpoint (the state, the new snapshots and
 * the checkpoint file, each fsynced) costs tens of milliseconds, a tenth of a percent of this.
 */
export const SIMULATION_CHECKPOINT_SECONDS = 30;

/** Options of {@link simulateInRun}. */
export interface SimulationRunOptions {
  /** Hears the time steps done of all trajectories (summed) after each snapshot, from where a resumed run stands. */
  progress?: (done: number, total: number) => void;
  /** Seconds of integration between two checkpoints (default {@link SIMULATION_CHECKPOINT_SECONDS}; 0: after every unit). */
  checkpointSeconds?: number;
  /** Hears where a resumed run continues from. */
  log?: (message: string) => void;
}

/** What `simulate` stores as result.json: the record and the seconds of work over every attempt. */
export type SimulationRunResult = SimulationRecord & { seconds: number };

/** A number in the report: 3 significant digits in exponent form, or its word when non-finite. */
const fmt = (v: number): string => v.toExponential(3);

/**
 * Runs {@link SimulationConfig} `config` (its progress is `opts.progress`) in `run` (a run
 * directory opened for it, new or resumed): writes `arrays/*.npy` and returns the result
 * (`seconds` summed over the attempts, the run's `carriedSeconds` convention) and the report. A resumed run continues after its last checkpoint;
 * one stopped before its first starts over, and says so.
 */
export async function simulateInRun(
  config: Omit<SimulationConfig, "progress">,
  run: Run<unknown>,
  opts: SimulationRunOptions = {},
): Promise<InRunOutput<SimulationRunResult>> {
  const plan = simulationPlan(config);
  const say = opts.log ?? (() => {});
  let from: SlicePosition | undefined;
  let blocks: SnapshotBlock[] = [];
  let record: SimulationRecord | undefined;
  if (run.status === "resumed") {
    const cp = run.loadCheckpoint((s, step) => readSimulationCheckpoint(run, plan, s, step));
    const state = cp?.state;
    if (!cp || !state)
      say("resuming: the run stopped before its first checkpoint, so it starts from the beginning");
    else if ("record" in state) {
      record = state.record;
      say(`resuming from ${cp.file}: the integration is finished and its arrays written`);
    } else {
      ({ position: from, blocks } = state);
      say(`resuming from ${cp.file}: step ${cp.step} of ${plan.steps}`);
    }
    removeSnapshotBlocks(run, blocks);
  }
  if (!record) {
    const every = 1000 * (opts.checkpointSeconds ?? SIMULATION_CHECKPOINT_SECONDS);
    let last = performance.now();
    const snapshots = integrateSlices(plan, {
      ...(from ? { from } : {}),
      ...(opts.progress ? { progress: opts.progress } : {}),
      afterUnit: (at) => {
        if (performance.now() - last < every) return;
        blocks = saveSimulationCheckpoint(run, plan, at, blocks);
        last = performance.now();
      },
    });
    const { arrays, drift } = plan.finish(snapshots);
    for (const a of arrays) run.writeArray(a.name, a.data, a.shape);
    record = {
      system: plan.system,
      h: plan.h,
      steps: plan.steps,
      drift,
      arrays: Object.fromEntries(arrays.map((a) => [a.name, a.shape])),
    };
    // A run that checkpointed has snapshot files to remove: first a checkpoint saying the arrays
    // are written, so a kill while they go leaves a run that resumes to its result.
    if (blocks.length) {
      saveFinishedSimulation(run, plan, finiteOrText(record));
      removeSnapshotBlocks(run, []);
    }
  }
  const report = await reportHtml({
    title: `integrability simulate: ${record.system}`,
    summary: [
      ["steps", `${record.steps} of h = ${record.h}`],
      ...Object.entries(record.drift).map(([k, v]): [string, string] => [`relative drift of ${k}`, fmt(v)]),
    ],
    tables: [
      {
        head: ["array", "shape"],
        rows: Object.entries(record.arrays).map(([name, shape]) => [
          `arrays/${name}.npy`,
          `[${shape.join(", ")}]`,
        ]),
      },
    ],
  });
  return { result: { ...record, seconds: run.workSeconds() }, report };
}
