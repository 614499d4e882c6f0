// What the integrability connection commands (kdv, connection) share in running their learner in
// a run directory: the run flags, continuing a resumed run from its newest checkpoint, one metrics
// record and one progress line per loss record, the checkpoints, and the monodromy traces' arrays.

import {
  type ConnectionCheckpoint,
  type ConnectionMetrics,
  connectionCheckpointStep,
} from "@physml/integrability";
import type { Run } from "@physml/runs";
import type { FlagSpec } from "../command.js";
import { checkpointedRunFlags, fmt, resumedCheckpoint } from "./integrability-run.js";

/** The run flags of `physml integrability <kind>` for a connection learner (its checkpoints named). */
export const connectionRunFlags = (kind: string): Record<string, FlagSpec> =>
  checkpointedRunFlags(
    kind,
    "every 50 Adam steps, every 50 Levenberg–Marquardt iterations and after the polish",
  );

/**
 * The newest checkpoint of a resumed `kdv` or `connection` run (see {@link resumedCheckpoint}), said
 * on stderr; null for a new run.
 */
export function resumeConnection(run: Run<unknown>, say: (s: string) => void): ConnectionCheckpoint | null {
  const last = resumedCheckpoint<ConnectionCheckpoint>(
    run,
    (s) => (s.phase === "adam" || s.phase === "polish" || s.phase === "polished") && Array.isArray(s.history),
    (cp) => {
      for (const m of [...(cp.earlier ?? []).flatMap((e) => e.history), ...cp.history]) run.appendMetric(m);
    },
    say,
  );
  if (!last) return null;
  const cp = last.state;
  const attempt = cp.attempt ? ` of attempt ${cp.attempt}` : "";
  const where =
    cp.phase === "adam"
      ? `Adam step ${cp.step}`
      : cp.phase === "polish"
        ? `polish iteration ${cp.polish?.iterations}`
        : "polished";
  say(`resuming from ${last.file}: ${where}${attempt}`);
  return cp;
}

/** The learner options that tie its training to the run (spread into the learner's config). */
export interface ConnectionTraining {
  resume?: ConnectionCheckpoint;
  onMetrics: (m: ConnectionMetrics) => void;
  onCheckpoint: (cp: ConnectionCheckpoint) => void;
}

/**
 * The training of a connection in `run`: a resumed run continues from its newest checkpoint (said
 * on stderr now, see {@link resumeConnection}); each loss record goes to metrics.jsonl and, as a
 * progress line, to `say` (naming the attempt of a learner that restarts); each checkpoint is saved
 * with the `checkpoint` fields (what the command needs to rebuild its model) beside the learner's
 * state. The last checkpoint, after the polish, is the learned state.
 */
export function connectionTraining(
  run: Run<unknown>,
  say: (s: string) => void,
  o: { checkpoint: Readonly<Record<string, unknown>> },
): ConnectionTraining {
  const resume = resumeConnection(run, say);
  return {
    ...(resume ? { resume } : {}),
    onMetrics: (m) => {
      run.appendMetric(m);
      const attempt = m.attempt ? `attempt ${m.attempt}, ` : "";
      say(`${attempt}step ${m.step}: loss ${fmt(m.total)} (𝓛_ZC ${fmt(m.lax)})`);
    },
    onCheckpoint: (cp) => run.saveCheckpoint(connectionCheckpointStep(cp), { ...cp, ...o.checkpoint }),
  };
}

/** Writes tr Ψ(t) per held-out trajectory (rows) and snapshot time (columns) as the run's array `name`. */
export function writeTraces(
  run: Run<unknown>,
  name: string,
  traces: readonly number[][],
  times: readonly number[],
): void {
  run.writeArray(name, Float64Array.from(traces.flat()), [traces.length, times.length]);
}
