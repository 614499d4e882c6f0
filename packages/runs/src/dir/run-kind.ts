// How messages name a run by its kind ("a duality-kw run", "an integrability-lax run").

/** `kind` with its indefinite article: "an" before a vowel, as the kinds are read aloud. */
export function aRunOf(kind: string): string {
  return `${/^[aeiou]/i.test(kind) ? "an" : "a"} ${kind} run`;
}
