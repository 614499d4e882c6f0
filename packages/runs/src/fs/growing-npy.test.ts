import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeNpy, encodeNpy } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { openGrowingNpy } from "./growing-npy.js";

const data = Float64Array.from({ length: 60 }, (_, i) => Math.sin(i) * 1e3);

describe("openGrowingNpy", () => {
  it("fills <name>.partial in pieces and renames it to the bytes encodeNpy gives", () => {
    const path = join(mkdtempSync(join(tmpdir(), "growing-")), "a.npy");
    const f = openGrowingNpy(path, "<f8", [20, 3], 0);
    f.append(data.subarray(0, 7));
    f.append(data.subarray(7, 30));
    f.sync();
    f.append(data.subarray(30));
    expect(existsSync(path)).toBe(false);
    expect(f.finish()).toBe(path);
    expect(existsSync(`${path}.partial`)).toBe(false);
    expect(new Uint8Array(readFileSync(path))).toEqual(encodeNpy(data, [20, 3]));
  });

  it("reopened after `done` elements, drops what was written after them and continues to the same bytes", () => {
    const path = join(mkdtempSync(join(tmpdir(), "growing-")), "a.npy");
    const f = openGrowingNpy(path, "<f8", [60], 0);
    f.append(data.subarray(0, 25));
    f.sync(); // a checkpoint claims 25
    f.append(Float64Array.from({ length: 10 }, () => Number.NaN)); // lost with the kill
    f.close();
    const g = openGrowingNpy(path, "<f8", [60], 25);
    expect(g.length).toBe(25);
    expect(new Float64Array(g.readData().buffer)).toEqual(data.subarray(0, 25));
    g.append(data.subarray(25));
    g.finish();
    expect(new Uint8Array(readFileSync(path))).toEqual(encodeNpy(data, [60]));
  });

  it("takes a finished file back when a resumed run continues before its end; refuses claims the file cannot hold", () => {
    const dir = mkdtempSync(join(tmpdir(), "growing-"));
    const path = join(dir, "a.npy");
    const f = openGrowingNpy(path, "<f8", [60], 0);
    f.append(data);
    f.finish(); // killed after this rename, before the run's result: the checkpoint says 40
    const g = openGrowingNpy(path, "<f8", [60], 40);
    expect(existsSync(path)).toBe(false);
    g.append(data.subarray(40));
    g.finish();
    expect(decodeNpy(new Uint8Array(readFileSync(path))).data).toEqual(data);

    expect(() => openGrowingNpy(join(dir, "missing.npy"), "<f8", [60], 5)).toThrow(/missing/);
    const short = openGrowingNpy(join(dir, "b.npy"), "<f8", [60], 0);
    short.append(data.subarray(0, 3));
    short.close();
    expect(() => openGrowingNpy(join(dir, "b.npy"), "<f8", [60], 4)).toThrow(/does not hold/);
    // a file of another shape is not continued
    expect(() => openGrowingNpy(join(dir, "b.npy"), "<f8", [61], 2)).toThrow(/does not hold/);
    writeFileSync(
      join(dir, "c.npy.partial"),
      "not a npy file at all, but long enough to hold the header bytes",
    );
    expect(() => openGrowingNpy(join(dir, "c.npy"), "|i1", [4], 1)).toThrow(/does not hold/);
  });

  it("refuses more elements than the shape holds and finishing short", () => {
    const path = join(mkdtempSync(join(tmpdir(), "growing-")), "a.npy");
    const f = openGrowingNpy(path, "<f8", [4], 0);
    expect(() => f.append(data.subarray(0, 5))).toThrow(RangeError);
    f.append(data.subarray(0, 3));
    expect(() => f.finish()).toThrow(/3 of 4/);
    f.close();
  });
});
