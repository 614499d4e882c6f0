// `physml integrability scnn`'s defaults before 7 December 2026 (the paper's general T from the
// identity on near-circular orbits of one sense), as the integrability README spells them out:
// the tests of features first written against them keep their runs.

/** The earlier defaults as flags (the README's command for the Greydanus comparison). */
export const SCNN_OLD_DEFAULTS = [
  ...["--frame", "bodies", "--tilt", "0", "--retrograde", "0", "--cyclic-q", "outputs"],
  ...["--transform", "general", "--point-start", "identity", "--conservation", "rate"],
  ...["--hamiltonian", "general", "--steps", "2000", "--restarts", "0", "--warmup", "0"],
];

/** `flags` followed by every earlier default they do not set themselves. */
export function withOldScnnDefaults(...flags: string[]): string[] {
  const given = new Set(flags.filter((f) => f.startsWith("--")));
  const rest: string[] = [];
  for (let i = 0; i < SCNN_OLD_DEFAULTS.length; i += 2)
    if (!given.has(SCNN_OLD_DEFAULTS[i])) rest.push(SCNN_OLD_DEFAULTS[i], SCNN_OLD_DEFAULTS[i + 1]);
  return [...flags, ...rest];
}
