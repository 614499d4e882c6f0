// One meaning of `seconds` in every command's JSON: the wall time of the work that produced the
// result, a number. A resumed run adds the seconds its earlier attempts kept (up to each one's
// last checkpoint, carried by @physml/runs) to its own attempt's. A command that times its stages
// reports each beside it as `<stage>Seconds` (as `trainSeconds`, `fitSeconds` or `balanceSeconds`
// elsewhere), never as an object under `seconds`; the carried seconds count in the stage that
// checkpoints.

/** `{ seconds: total, <stage>Seconds: … }` of the stage times `parts` (seconds each). */
export function secondsByStage<K extends string>(
  parts: Record<K, number>,
): { seconds: number } & { [P in K as `${P}Seconds`]: number } {
  const entries = Object.entries(parts) as [K, number][];
  return {
    seconds: entries.reduce((a, [, v]) => a + v, 0),
    ...Object.fromEntries(entries.map(([k, v]) => [`${k}Seconds`, v])),
  } as { seconds: number } & { [P in K as `${P}Seconds`]: number };
}

/**
 * This attempt's stage times `parts` with the seconds the run's earlier attempts kept
 * (`run.carriedSeconds`, 0 for a new run) added to `stage`, the one that checkpoints.
 */
export function carriedInto<P extends Record<string, number>>(
  parts: P,
  stage: keyof P & string,
  run: { readonly carriedSeconds: number },
): P {
  return { ...parts, [stage]: parts[stage] + run.carriedSeconds };
}
