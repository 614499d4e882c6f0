// The bookkeeping of the copies the product module keeps between calls (wasm-kept.ts): a copy is
// found only for its own array, role and shape, and only until the module's memory is handed out
// again or the array goes back to the pool. The layers that read them are tested bit for bit
// against the composed rules in ops/fused.test.ts.
import { describe, expect, it } from "vitest";
import { alloc } from "../core/create.js";
import { withCallArena } from "../core/pool.js";
import "../ops/dense.js"; // wires the pool's releases to forgetKept
import { bumpKeptGeneration, forgetKept, keep, keptAt, placeBeside } from "./wasm-kept.js";

describe("kept copies", () => {
  it("are found for the same array, role and shape only, until the next generation", () => {
    bumpKeptGeneration();
    const d = new Float64Array(64);
    const e = new Float64Array(64);
    keep(d, "gx", 1000, 8, 8);
    expect(keptAt(d, "gx", 8, 8)).toBe(1000);
    expect(keptAt(e, "gx", 8, 8)).toBe(-1);
    expect(keptAt(d, "out", 8, 8)).toBe(-1);
    expect(keptAt(d, "gx", 4, 16)).toBe(-1);
    bumpKeptGeneration();
    expect(keptAt(d, "gx", 8, 8)).toBe(-1);
  });

  it("are forgotten when their array goes back to the pool", () => {
    bumpKeptGeneration();
    let d: Float64Array | null = null;
    // an array allocated inside a grad call and not returned is released when the call ends
    withCallArena(
      0,
      () => {
        d = alloc("float64", 16384) as Float64Array;
        keep(d, "out", 5000, 1024, 16);
        expect(keptAt(d, "out", 1024, 16)).toBe(5000);
      },
      () => [],
    );
    expect(d).not.toBeNull();
    expect(keptAt(d!, "out", 1024, 16)).toBe(-1);
    // and forgetKept forgets every copy of one array, the others stay
    const a = new Float64Array(32);
    const b = new Float64Array(32);
    keep(a, "x", 10, 4, 8);
    keep(b, "x", 50, 4, 8);
    forgetKept(a);
    expect(keptAt(a, "x", 4, 8)).toBe(-1);
    expect(keptAt(b, "x", 4, 8)).toBe(50);
  });
});

describe("placeBeside", () => {
  it("starts at the base when the call's regions fit below every kept copy", () => {
    expect(placeBeside(100, 50, [[150, 40]])).toBe(100);
    expect(placeBeside(100, 50, [[-1, 40]])).toBe(100);
  });
  it("else at the first cache line after the last kept copy", () => {
    expect(placeBeside(100, 60, [[150, 40]])).toBe(192);
    expect(
      placeBeside(100, 80, [
        [150, 40],
        [300, 5],
      ]),
    ).toBe(312);
  });
  it("gives up (−1) where that would reach past base + 4·need", () => {
    expect(placeBeside(100, 60, [[120, 1000]])).toBe(-1);
  });
});
