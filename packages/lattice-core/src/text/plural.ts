// Counts in words for the lines people read ("1 epoch", "3 epochs"), so that no line prints
// "1 epochs" and no caller spells the rule again.

/**
 * `n` followed by `noun`, in the plural unless `n` is 1: `plural(1, "epoch")` is "1 epoch",
 * `plural(3, "epoch")` "3 epochs", `plural(2, "Adam step")` "2 Adam steps".
 *
 * @param pluralForm - the plural when it is not `noun` + "s" (e.g. `"matrices"`).
 */
export function plural(n: number, noun: string, pluralForm = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : pluralForm}`;
}
