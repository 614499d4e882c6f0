// A .npy file written in pieces as its data are computed, for a run that checkpoints between the
// pieces and must not hold (or write twice) all of its data: the pieces are appended in order to
// `<name>.partial` beside the final file, `sync()` makes them durable before a checkpoint claims
// them, a resumed run reopens the file cut back to the length its checkpoint claims (data written
// after that checkpoint are dropped and computed again), and `finish()` renames it to `<name>`
// once complete, so the final file only ever appears whole. The checkpoint is the commit record:
// a partial file is never read beyond what a checkpoint claims.
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  renameSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import { type NpyArray, npyHeader, npyItemBytes } from "@physml/lattice-core";
import { fsyncDir } from "./atomic.js";

/** Suffix of a .npy file still being filled (`points.npy.partial`). */
export const PARTIAL_SUFFIX = ".partial";

/** A .npy file being filled in order; see {@link openGrowingNpy}. */
export class GrowingNpy {
  /** Elements written so far (durable once {@link sync} returned). */
  private written: number;
  private fd: number;
  private dirSynced = false;

  /** @internal use {@link openGrowingNpy}. */
  constructor(
    readonly path: string,
    private readonly header: Uint8Array,
    private readonly item: number,
    /** Elements of the complete array. */
    readonly size: number,
    fd: number,
    written: number,
  ) {
    this.fd = fd;
    this.written = written;
  }

  /** Elements written so far. */
  get length(): number {
    return this.written;
  }

  /** Appends the next elements (of the file's dtype). */
  append(data: NpyArray): void {
    if (this.written + data.length > this.size)
      throw new RangeError(`${this.path}: ${this.written + data.length} elements, more than ${this.size}`);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let pos = this.header.length + this.written * this.item;
    for (let off = 0; off < bytes.length; ) {
      const n = writeSync(this.fd, bytes, off, bytes.length - off, pos);
      off += n;
      pos += n;
    }
    this.written += data.length;
  }

  /** The bytes of the elements written so far (e.g. to recompute from them after a resume). */
  readData(): Uint8Array {
    const out = new Uint8Array(this.written * this.item);
    for (let off = 0; off < out.length; ) {
      const n = readSync(this.fd, out, off, out.length - off, this.header.length + off);
      if (n === 0) throw new Error(`${this.path}: shorter than the ${this.written} elements written`);
      off += n;
    }
    return out;
  }

  /** Makes the elements appended so far durable: call before a checkpoint that claims them. */
  sync(): void {
    fdatasyncSync(this.fd);
    if (!this.dirSynced) {
      // the partial file's own name must survive a crash too, once
      fsyncDir(dirname(this.path));
      this.dirSynced = true;
    }
  }

  /** Renames the complete file to its final name, durably. */
  finish(): string {
    if (this.written !== this.size)
      throw new RangeError(`${this.path}: ${this.written} of ${this.size} elements written`);
    fsyncSync(this.fd);
    this.close();
    const final = this.path.slice(0, -PARTIAL_SUFFIX.length);
    renameSync(this.path, final);
    fsyncDir(dirname(final));
    return final;
  }

  /** Closes the file without finishing it (a run that failed; its partial file stays for --resume). */
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/**
 * Opens the .npy file `path` (of NumPy dtype `descr`, C order, `shape`) to be filled in pieces,
 * continuing after its first `done` elements: 0 for a new file (`<path>.partial` is created,
 * holding only the header), else the number a checkpoint claims, whose data were synced before
 * that checkpoint was written (the file is cut back to them). A complete `path` left by an
 * attempt killed after {@link GrowingNpy.finish} is taken back as the partial file. Throws when
 * the claimed data are not on disk.
 */
export function openGrowingNpy(
  path: string,
  descr: string,
  shape: readonly number[],
  done: number,
): GrowingNpy {
  const header = npyHeader(descr, shape);
  const item = npyItemBytes(descr);
  const size = shape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(done) || done < 0 || done > size)
    throw new RangeError(`${path}: ${done} elements done, not in [0, ${size}]`);
  const partial = `${path}${PARTIAL_SUFFIX}`;
  if (done === 0) {
    const fd = openSync(partial, "w");
    writeSync(fd, header);
    return new GrowingNpy(partial, header, item, size, fd, 0);
  }
  if (!existsSync(partial) && existsSync(path)) renameSync(path, partial);
  if (!existsSync(partial))
    throw new Error(
      `${partial} is missing, though a checkpoint claims ${done} elements in it (start anew with --force)`,
    );
  const fd = openSync(partial, "r+");
  const need = header.length + done * item;
  const head = new Uint8Array(header.length);
  const got = fstatSync(fd).size >= need ? readSync(fd, head, 0, head.length, 0) : 0;
  if (got !== header.length || head.some((b, i) => b !== header[i])) {
    closeSync(fd);
    throw new Error(
      `${partial} does not hold the ${done} elements of shape (${shape.join(", ")}) a checkpoint claims (start anew with --force)`,
    );
  }
  ftruncateSync(fd, need);
  return new GrowingNpy(partial, header, item, size, fd, done);
}
