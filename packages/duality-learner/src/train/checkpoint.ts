// The learner's checkpoint: its state after a step (groups, exploration scores, chains). Read
// back through a schema, so a truncated or mis-shaped file is rejected with the reason (and
// the run directory falls back to the previous checkpoint) instead of failing deep inside the
// restore.
import { plural } from "@physml/lattice-core";
import { z } from "zod";
import { restoreGroup } from "./group-checkpoint.js";
import type { GroupState } from "./group-state.js";
import type { DualityResult } from "./result.js";
import type { StepContext } from "./step-context.js";

/** A checkpoint as stored (checkpoint/step-<n>.json, `state`). */
export interface Checkpoint {
  version: 2;
  /** The next step to run. */
  step: number;
  groups: unknown[];
  /** Exploration scores so far (per start) and the chosen one after exploration. */
  exploreLosses: number[][];
  /** Per start, the per-step variance of S_nn (absent in checkpoints of older versions). */
  exploreVarS?: number[][];
  /** Per start, the pooled (noise-included) exploration losses (absent in older checkpoints). */
  explorePooled?: number[][];
  chosen: number;
  /** Training attempt and the starts tried so far (absent in older checkpoints: 0, [chosen]). */
  attempt?: number;
  tried?: number[];
  failedAttempts?: DualityResult["failedAttempts"];
  /** The chains' spins, base64 of an Int8Array of chains × sites. */
  spins: string;
  sweepCount: number;
  elapsedMs: number;
}

const schema = z.object({
  version: z.literal(2),
  step: z.number().int().min(1),
  groups: z.array(z.record(z.string(), z.unknown())).min(1),
  exploreLosses: z.array(z.array(z.number().nullable())),
  exploreVarS: z.array(z.array(z.number().nullable())).optional(),
  explorePooled: z.array(z.array(z.number().nullable())).optional(),
  chosen: z.number().int().min(-1),
  attempt: z.number().int().min(0).optional(),
  tried: z.array(z.number().int().min(0)).optional(),
  failedAttempts: z.array(z.record(z.string(), z.unknown())).optional(),
  spins: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
  sweepCount: z.number().int().min(0),
  elapsedMs: z.number().min(0),
});

/** A checkpoint read back and restored: the stored fields with the groups rebuilt. */
export interface RestoredCheckpoint extends Checkpoint {
  restored: GroupState[];
  spinArray: Int8Array;
}

/**
 * Validates a stored checkpoint for this run (`step` is the step its file claims; `chains` ×
 * `sites` spins expected) and restores its groups. Throws with the reason when it does not fit.
 */
export function parseCheckpoint(
  raw: unknown,
  step: number,
  ctx: StepContext,
  chains: number,
): RestoredCheckpoint {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`field ${i.path.join(".") || "state"}: ${i.message}`);
  }
  const c = r.data as Checkpoint;
  if (c.step !== step) throw new Error(`holds step ${c.step}, its name says ${step}`);
  const spinArray = new Int8Array(Buffer.from(c.spins, "base64"));
  const want = chains * ctx.lattice.nSites;
  if (spinArray.length !== want) {
    throw new Error(
      `holds ${spinArray.length} spins, this run has ${plural(chains, "chain")} × ${ctx.lattice.nSites} sites`,
    );
  }
  let restored: GroupState[];
  try {
    restored = c.groups.map((g) => restoreGroup(ctx, g));
  } catch (e) {
    throw new Error(`its learner state does not fit this run (${(e as Error).message})`);
  }
  return { ...c, restored, spinArray };
}
