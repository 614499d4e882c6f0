// The quintic commands' memory estimate against what sampling really retains, and the refusal.
import { PhysmlInputError } from "@physml/lattice-core";
import { expect, test } from "vitest";
import { sectionBasis } from "./donaldson/sections.js";
import { dworkQuintic } from "./geometry/quintic.js";
import { samplePoints } from "./geometry/sample.js";
import { checkCyMemory, estimateCyMemory, SAMPLE_BYTES_PER_POINT, sectionCount } from "./memory.js";

test("a sampled point holds at most the bytes the estimate counts for it", () => {
  const n = 20_000;
  const ps = samplePoints(dworkQuintic({ re: 0, im: 0 }), n, 1);
  // Every typed array of the point set, per point.
  let bytes = 0;
  for (const v of Object.values(ps)) if (ArrayBuffer.isView(v)) bytes += v.byteLength;
  expect(bytes / n).toBeLessThanOrEqual(SAMPLE_BYTES_PER_POINT);
  expect(bytes / n).toBeGreaterThan(SAMPLE_BYTES_PER_POINT / 2);
});

test("a run above --max-memory is refused naming --points, before anything is sampled", () => {
  const huge = estimateCyMemory({
    command: "donaldson",
    points: 10_000_000,
    evalPoints: 10_000_000,
    k: 3,
  });
  expect(huge).toBeGreaterThan(10 * 2 ** 30);
  expect(() => checkCyMemory(huge, "4G", 10_000_000)).toThrow(PhysmlInputError);
  expect(() => checkCyMemory(huge, "4G", 10_000_000)).toThrow(
    /points.*memory limit of 4\.00 GB.*lower --points/,
  );
  expect(() =>
    checkCyMemory(estimateCyMemory({ command: "sample", points: 100_000 }), "4G", 100_000),
  ).not.toThrow();
});

test("the section count of the train estimate is the size of the section basis (k = 1…8)", () => {
  for (let k = 1; k <= 8; k++) expect(sectionCount(k)).toBe(sectionBasis(dworkQuintic(), k).size);
});
