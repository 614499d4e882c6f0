// A group's JSON form in checkpoints and exploration.json. The stored layout is that of the
// single group type of earlier versions: every rule's fields side by side, those of the other
// rules at fixed values (null, one null per slot, [] and 1), so that the run directories of
// those versions resume and their files stay the same. The rule is not stored: it is the run's
// (its configuration's), and a stored group lacking a field of that rule does not fit the run.
import type { Tensor } from "@physml/autodiff";
import type { AdamState } from "@physml/autodiff/optim";
import { type UpdateRule, updateRule } from "../config.js";
import { cacheSlotImages } from "../model/moment-plan.js";
import type { AttentionParams, MlpParams } from "../model/observable.js";
import type { CouplingsState, GroupState, MemoryEntry } from "./group-state.js";
import type { StepContext } from "./step-context.js";
import { decodeTree, encodeTree } from "./tree.js";

/** A memory entry as stored: its image cache stays behind (older checkpoints carry `moms: null`). */
type StoredEntry = Omit<MemoryEntry, "images"> & { moms?: unknown };

/** A group as stored, before the tensors and typed arrays are encoded (see ./tree.ts). */
interface StoredGroup extends CouplingsState {
  logits: Tensor | null;
  logitState: AdamState | null;
  heads: ([number, number] | null)[];
  /** Infinite (never computed) losses are null. */
  slotLoss: (number | null)[];
  /** Absent in checkpoints older than the split-half losses (unknown: infinite). */
  slotLossUnbiased?: (number | null)[];
  params: AttentionParams | MlpParams | null;
  paramState: AdamState | null;
  mlpSign: number;
  memory: StoredEntry[];
  gramAvg: Float64Array | null;
}

const storedLoss = (l: readonly number[]) => l.map((v) => (Number.isFinite(v) ? v : null));

/** JSON form of a group (checkpoints). */
export function saveGroup(ctx: StepContext, gs: GroupState): unknown {
  const none = ctx.slots.map(() => null);
  const exact = gs.rule === "exact" ? gs : null;
  const learned = gs.rule === "exact" ? null : gs;
  const stored: StoredGroup = {
    t: gs.t,
    tAdam: gs.tAdam,
    logits: exact?.logits ?? null,
    logitState: exact?.logitState ?? null,
    heads: exact?.heads ?? none,
    slotLoss: exact ? storedLoss(exact.slotLoss) : none,
    slotLossUnbiased: exact ? storedLoss(exact.slotLossUnbiased) : none,
    params: learned?.params ?? null,
    paramState: learned?.paramState ?? null,
    mlpSign: gs.rule === "mlp" ? gs.mlpSign : 1,
    memory: (exact?.memory ?? []).map(({ t, terms, samples, x, computed }) => ({
      t,
      terms,
      samples,
      x,
      computed,
    })),
    gramAvg: exact?.gramAvg ?? null,
  };
  return encodeTree(stored);
}

/** The stored value of a field the run's rule reads; an error naming it when it is absent. */
function needed<T>(value: T | null | undefined, field: string, rule: UpdateRule): T {
  if (value === null || value === undefined)
    throw new Error(`field ${field}: absent, the ${rule} rule needs it`);
  return value;
}

/** A stored memory entry with the image sums of its computed slots recomputed from its samples. */
function restoredEntry(ctx: StepContext, e: StoredEntry): MemoryEntry {
  const images: (Float64Array | null)[] = [];
  e.computed.forEach((c, k) => {
    if (c) cacheSlotImages(ctx.momentPlan, e.x, e.samples, k, images);
  });
  return { t: e.t, terms: e.terms, samples: e.samples, x: e.x, computed: e.computed, images };
}

/** Inverse of {@link saveGroup}, for the update rule of the run of `ctx`. */
export function restoreGroup(ctx: StepContext, json: unknown): GroupState {
  const s = decodeTree(json) as StoredGroup;
  const rule = updateRule(ctx.config);
  const couplings: CouplingsState = { t: needed(s.t, "t", rule), tAdam: needed(s.tAdam, "tAdam", rule) };
  const losses = (l: (number | null)[] | undefined) =>
    (l ?? ctx.slots.map(() => null)).map((v) => (v === null ? Number.POSITIVE_INFINITY : v));
  switch (rule) {
    case "exact":
      return {
        rule,
        ...couplings,
        logits: needed(s.logits, "logits", rule),
        logitState: needed(s.logitState, "logitState", rule),
        heads: needed(s.heads, "heads", rule),
        slotLoss: losses(s.slotLoss),
        slotLossUnbiased: losses(s.slotLossUnbiased),
        memory: needed(s.memory, "memory", rule).map((e) => restoredEntry(ctx, e)),
        gramAvg: s.gramAvg ?? null,
      };
    case "gumbel": {
      const params = needed(s.params, "params", rule);
      if (!("logits" in params))
        throw new Error("field params: an MLP's, the gumbel rule needs the attention's");
      return { rule, ...couplings, params, paramState: needed(s.paramState, "paramState", rule) };
    }
    case "mlp": {
      const params = needed(s.params, "params", rule);
      if ("logits" in params) throw new Error("field params: the attention's, the mlp rule needs an MLP's");
      return {
        rule,
        ...couplings,
        params,
        paramState: needed(s.paramState, "paramState", rule),
        mlpSign: needed(s.mlpSign, "mlpSign", rule),
      };
    }
  }
}
