// .npy files on disk (Node): written atomically, read with errors that name the option holding
// the path. The format itself is npy.ts.
import { randomBytes } from "node:crypto";
import { readFile, rename, unlink, writeFile } from "node:fs/promises";
import { PhysmlInputError } from "../errors.js";
import { decodeNpy, encodeNpy, type NpyArray } from "./npy.js";

/** Writes a .npy file atomically: to a temporary file in the same directory, then renamed. */
export async function writeNpy(path: string, data: NpyArray, shape: readonly number[]): Promise<void> {
  const bytes = encodeNpy(data, shape);
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

/**
 * Reads a .npy file (see {@link decodeNpy}).
 *
 * With `field` (the option that holds the path, e.g. `samples`), a file that cannot be read or
 * is not a .npy file is a PhysmlInputError of that field naming the path, the decoder's message
 * in brackets; without it, the system's and the decoder's errors pass unchanged.
 */
export async function readNpy(
  path: string,
  field?: string,
): Promise<{ data: NpyArray; shape: number[]; dtype: string }> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    if (field === undefined) throw e;
    throw new PhysmlInputError(field, "a readable .npy file", path, (e as NodeJS.ErrnoException).code);
  }
  try {
    return decodeNpy(bytes);
  } catch (e) {
    if (field === undefined || !(e instanceof PhysmlInputError)) throw e;
    throw new PhysmlInputError(field, "a .npy file (NumPy format version 1 to 3)", path, e.message);
  }
}
