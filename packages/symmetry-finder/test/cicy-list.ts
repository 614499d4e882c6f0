// The CICY list for the tests: the shared copy, or, on a machine without it, the reason the CICY
// tests are skipped, printed once (a missing data file is the machine's lack, not a failure).
import { existsSync } from "node:fs";
import { CICY_DEFAULT_PATH, type Cicy, readCicyList } from "../src/cicy/data.js";

/** Why the CICY tests cannot run here, or null when the list is where the tests look. */
export const CICY_LIST_MISSING: string | null = existsSync(CICY_DEFAULT_PATH)
  ? null
  : `the CICY list is not at ${CICY_DEFAULT_PATH} (put shared/data/cicy3 beside the checkout or set PHYSML_CICY_DATA)`;

if (CICY_LIST_MISSING) console.warn(`symmetry-finder CICY tests: SKIPPED — ${CICY_LIST_MISSING}`);

/** The list (empty when it is missing: the tests reading it are skipped then). */
export const cicyListForTests = (): Promise<{ cicys: Cicy[]; dropped: number }> =>
  CICY_LIST_MISSING ? Promise.resolve({ cicys: [], dropped: 0 }) : readCicyList();
