// The runs readers (`runs ls|show|export`, `sweep status|merge`) show a run directory written
// before one of its fields was renamed under the current names, as the command's own `--resume`
// does: one JSON key means one thing whichever command prints it. Likewise a configuration
// written before a field was added shows the value that run had, where the command declares it.
// Each entry is the renaming its command applies (the learner package's where it owns the name,
// else the command's). A package is loaded only when a run of its kind is read, so listing runs
// stays as quick as before.
import { fillAddedFields, type RunSummary, renameFields, type SweepStatus } from "@physml/runs";
import { KDV_RENAMED_FIELDS, SCNN_RENAMED_FIELDS } from "./commands/integrability-renamed-fields.js";

/** How a kind's stored config.json and result.json read under the current field names. */
interface StoredFields {
  config?: (stored: unknown) => unknown;
  result: (stored: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * A stored configuration as a command's `--resume` reads it (`runFromFlags`): under the current
 * names, then each field of `added` it lacks (one added since it was written) set to the value it
 * had then (renamed first: `added` names fields by their current names).
 */
export const storedConfig =
  (renamed: Readonly<Record<string, string>>, added: Readonly<Record<string, unknown>> = {}) =>
  (stored: unknown): unknown =>
    fillAddedFields(renameFields(stored, renamed), added);

/**
 * Top-level renames that apply to both files, and fields added since a configuration was stored,
 * as `runFromFlags` applies a command's `renamed` and `added`.
 */
const topLevel = (
  renames: Readonly<Record<string, string>>,
  added: Readonly<Record<string, unknown>> = {},
): StoredFields => ({
  config: storedConfig(renames, added),
  result: (r) => renameFields(r, renames),
});

const dualrep = async (): Promise<StoredFields> => ({
  result: (await import("@physml/dual-representations")).currentDualrepResult,
});

/** By run kind (config.json's `kind`, as each command opens its run). */
const BY_KIND: Readonly<Record<string, () => Promise<StoredFields>>> = {
  "duality-kw": async () => ({ result: (await import("@physml/duality-learner")).currentDualityResult }),
  "duality-lines": async () => {
    const lines = await import("@physml/topological-lines");
    return { ...topLevel(lines.LINES_RENAMED_FIELDS), result: lines.currentLinesResult };
  },
  "dualrep-chain": dualrep,
  "dualrep-ising2d": dualrep,
  "dualrep-fourier": dualrep,
  "cy-train": async () => topLevel((await import("@physml/cy-metrics")).CY_TRAIN_RENAMED_FIELDS),
  "symmetry-cicy": async () => topLevel((await import("@physml/symmetry-finder")).CICY_RENAMED_FIELDS),
  "integrability-connection": async () =>
    topLevel({}, (await import("@physml/integrability")).CONNECTION_ADDED_FIELDS),
  "integrability-kdv": async () =>
    topLevel(KDV_RENAMED_FIELDS, (await import("@physml/integrability")).KDV_ADDED_FIELDS),
  "integrability-scnn": async () =>
    topLevel(SCNN_RENAMED_FIELDS, (await import("@physml/integrability")).SCNN_ADDED_FIELDS),
};

/** `summary` with its config and result under the current field names of its kind. */
export async function currentSummary(summary: RunSummary): Promise<RunSummary> {
  const load = BY_KIND[summary.kind];
  if (!load || (summary.config === undefined && !summary.result)) return summary;
  const read = await load();
  return {
    ...summary,
    ...(summary.config !== undefined && read.config ? { config: read.config(summary.config) } : {}),
    ...(summary.result ? { result: read.result(summary.result) } : {}),
  };
}

/** `summaries` under the current field names (see {@link currentSummary}). */
export const currentSummaries = (summaries: readonly RunSummary[]): Promise<RunSummary[]> =>
  Promise.all(summaries.map(currentSummary));

/** `status` with every point's run summary under the current field names. */
export async function currentSweepStatus(status: SweepStatus): Promise<SweepStatus> {
  const points = await Promise.all(
    status.points.map(async (p) => (p.run ? { ...p, run: await currentSummary(p.run) } : p)),
  );
  return { ...status, points };
}
