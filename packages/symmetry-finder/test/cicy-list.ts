// The CICY list for the tests: the shared copy, or, on a machine without it, the reason the CICY
// tests are skipped, printed once (a missing data file is the machine's lack, not a failure).
import { type Cicy, cicyListMissing, readCicyList } from "../src/cicy/data.js";

/** Why the CICY tests cannot run here, or null when the list is where the tests look. */
export const CICY_LIST_MISSING: string | null = cicyListMissing();

if (CICY_LIST_MISSING) console.warn(`symmetry-finder CICY tests: SKIPPED — ${CICY_LIST_MISSING}`);

/** The list (empty when it is missing: the tests reading it are skipped then). */
export const cicyListForTests = (): Promise<{ cicys: Cicy[]; dropped: number }> =>
  CICY_LIST_MISSING ? Promise.resolve({ cicys: [], dropped: 0 }) : readCicyList();
