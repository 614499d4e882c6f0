// The test every reader of stored JSON (configs, checkpoints, results, model files) makes before
// it looks at fields: a non-null object that is not an array.

/** Whether `v` is a JSON object: not null, not an array. */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
