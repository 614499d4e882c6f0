// Test-only helper: a tensor's entries as a plain row-major number array, for toEqual.
import type { Tensor } from "../src/index.js";

export const values = (t: Tensor): number[] => Array.from(t.toFloat64Array());
