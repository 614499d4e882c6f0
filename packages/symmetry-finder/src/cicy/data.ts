// The CICY threefold list (Candelas et al.; the gzipped JSON of Erbin–Finotello): configuration
// matrices with their Hodge numbers, and the row/column permutations that leave the manifold
// unchanged — the symmetry the classifier has to learn.
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { random } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";

export interface Cicy {
  /** The id in the list ("1"…"7890"), 1-based. */
  id: number;
  rows: number;
  cols: number;
  /** Row-major configuration matrix [rows, cols] (without the projective-dimension column). */
  matrix: Int32Array;
  h11: number;
  h21: number;
  /** c₂·J_r per row (second Chern class against each Kähler form), for the Wall-type check. */
  c2: number[];
}

/** Largest matrix in the original list: 12 rows × 15 columns. */
export const CICY_ROWS = 12;
export const CICY_COLS = 15;
/** The list's file in a copy of shared/data/cicy3. */
const CICY_FILE = "cicy3o.json.gz";

/**
 * The list at `path`: the file itself, or the one inside `path` when it is a directory (a copy of
 * shared/data/cicy3, as the README and `$PHYSML_CICY_DATA` name it).
 */
const listFile = (path: string): string =>
  existsSync(path) && statSync(path).isDirectory() ? join(path, CICY_FILE) : path;

/**
 * The shared copy of the list beside a checkout of the repository (`<repo>/../shared/data/cicy3`,
 * as on the development and CI machines), or `$PHYSML_CICY_DATA` when set (a checkout elsewhere,
 * e.g. a git worktree: the list or its directory); else pass the path of your copy.
 */
export const CICY_DEFAULT_PATH: string = listFile(
  process.env.PHYSML_CICY_DATA ||
    fileURLToPath(new URL(`../../../../../shared/data/cicy3/${CICY_FILE}`, import.meta.url)),
);

/**
 * Why the CICY list cannot be read at `path` (the list or its directory; a sentence naming the
 * file looked for and how to point elsewhere), or null when the file is there.
 */
export function cicyListMissing(path = CICY_DEFAULT_PATH): string | null {
  const file = listFile(path);
  return existsSync(file)
    ? null
    : `the CICY list is not at ${file} (put shared/data/cicy3 beside the checkout, set PHYSML_CICY_DATA, or pass the path of your copy)`;
}

interface RawEntry {
  matrix: number[][];
  h11: number;
  h21: number;
  c2?: number[];
}

/**
 * Reads `cicy3o.json.gz`. The 22 block-diagonal products carry h¹¹ = h²¹ = 0 as placeholders and
 * are dropped (as in the ML literature); `dropped` counts them.
 */
export async function readCicyList(path = CICY_DEFAULT_PATH): Promise<{ cicys: Cicy[]; dropped: number }> {
  const missing = cicyListMissing(path);
  if (missing !== null)
    throw new PhysmlInputError("data", "a gzipped JSON CICY list (cicy3o.json.gz)", path, missing);
  let raw: Record<string, RawEntry>;
  try {
    raw = JSON.parse(gunzipSync(await readFile(listFile(path))).toString("utf8"));
  } catch (e) {
    throw new PhysmlInputError("data", "a gzipped JSON CICY list (cicy3o.json.gz)", path, String(e));
  }
  const cicys: Cicy[] = [];
  let dropped = 0;
  for (const [key, v] of Object.entries(raw)) {
    if (v.h11 === 0 && v.h21 === 0) {
      dropped++;
      continue;
    }
    const rows = v.matrix.length;
    const cols = v.matrix[0].length;
    if (rows > CICY_ROWS || cols > CICY_COLS) {
      throw new PhysmlInputError(
        `cicy ${key}.matrix`,
        `at most ${CICY_ROWS}×${CICY_COLS}`,
        `${rows}×${cols}`,
      );
    }
    cicys.push({
      id: Number(key),
      rows,
      cols,
      matrix: Int32Array.from(v.matrix.flat()),
      h11: v.h11,
      h21: v.h21,
      c2: v.c2 ?? [],
    });
  }
  cicys.sort((a, b) => a.id - b.id);
  return { cicys, dropped };
}

/**
 * Writes the matrix, rows and columns permuted by `rowPerm`/`colPerm`, zero-padded into the
 * top-left corner of a 12×15 block at `out[offset…]`.
 */
export function writePermuted(
  c: Cicy,
  rowPerm: ArrayLike<number>,
  colPerm: ArrayLike<number>,
  out: Float64Array,
  offset: number,
): void {
  out.fill(0, offset, offset + CICY_ROWS * CICY_COLS);
  for (let r = 0; r < c.rows; r++) {
    for (let q = 0; q < c.cols; q++) {
      out[offset + r * CICY_COLS + q] = c.matrix[rowPerm[r] * c.cols + colPerm[q]];
    }
  }
}

/**
 * Inputs [copies·m, 180] of randomly row- and column-permuted matrices of the m CICYs in `which`
 * (default all), copy-major, with each input's index into `cicys`. The first copy is unpermuted
 * when `keepOriginal`. A draw whose arrangement is in `exclude` (keys of `arrangementKey`) is
 * redrawn, so held-out test matrices never reach training.
 */
export function augment(
  cicys: readonly Cicy[],
  copies: number,
  seed: number,
  keepOriginal = true,
  opts: { which?: readonly number[]; exclude?: ReadonlySet<string> } = {},
): { x: Float64Array; index: Int32Array } {
  const D = CICY_ROWS * CICY_COLS;
  const which = opts.which ?? cicys.map((_, i) => i);
  const exclude = opts.exclude;
  const n = which.length * copies;
  const x = new Float64Array(n * D);
  const index = new Int32Array(n);
  let key = random.key(seed);
  let s = 0;
  for (let copy = 0; copy < copies; copy++) {
    for (const i of which) {
      const c = cicys[i];
      if (keepOriginal && copy === 0) {
        const id = (m: number) => Int32Array.from({ length: m }, (_, r) => r);
        writePermuted(c, id(c.rows), id(c.cols), x, s * D);
      } else {
        for (let tries = 0; ; tries++) {
          const [k, kr, kc] = random.split(key, 3);
          key = k;
          writePermuted(c, random.permutation(kr, c.rows), random.permutation(kc, c.cols), x, s * D);
          if (exclude === undefined || exclude.size === 0 || !exclude.has(arrangementKey(c.id, x, s * D)))
            break;
          // a CICY with a held-out arrangement has at least one other: 200 misses means a bug
          if (tries > 200) throw new Error(`CICY ${c.id}: no training arrangement outside the test set`);
        }
      }
      index[s] = i;
      s++;
    }
  }
  return { x, index };
}

/** Identity of one arrangement of one CICY: its id and its permuted entries. */
export function arrangementKey(id: number, x: Float64Array, offset: number): string {
  let s = `${id}:`;
  for (let k = 0; k < CICY_ROWS * CICY_COLS; k++) s += `${x[offset + k]},`;
  return s;
}
