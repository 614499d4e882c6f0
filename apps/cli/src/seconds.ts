// One meaning of `seconds` in every command's JSON: the wall time of the work, a number. A
// command that times its stages reports each beside it as `<stage>Seconds` (as `trainSeconds`,
// `fitSeconds` or `balanceSeconds` elsewhere), never as an object under `seconds`.

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
