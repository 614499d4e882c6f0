// The dual variables' closed form for Z (Poisson summation over the constraint code) against two
// independent truths: lattice-core's exact enumeration and its transfer matrix.
import { defineModel, enumerateModel, transferMatrixChain } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { dualPartition } from "../src/chain/dual-partition.js";
import { instanceCouplings, instanceSites, nSpinChain } from "../src/chain/model.js";

const closeTo = (a: number, b: number) =>
  expect(Math.abs(a - b)).toBeLessThan(1e-10 * Math.max(1, Math.abs(b)));

describe("dual partition function of n-spin chains", () => {
  it.each([
    [12, 4, 0.7],
    [12, 3, -0.4],
    [10, 4, 1.1],
    [18, 6, 0.5],
    [9, 2, 0.3],
    [15, 5, 2],
  ])("N=%i n=%i J=%f: ln Z and ⟨Σσ⟩ match enumeration and the transfer matrix", (N, n, J) => {
    const m = nSpinChain(N, n, J);
    const d = dualPartition(instanceSites(m), instanceCouplings(m), N);
    const en = enumerateModel(m);
    const tm = transferMatrixChain(m);
    closeTo(d.lnZ, en.lnZ);
    closeTo(d.lnZ, tm.lnZ);
    closeTo(
      d.sigmaMeans.reduce((a, b) => a + b, 0),
      en.termMeans[0],
    );
    // The number of original states per dual state is 2^(N − rank); the constraint code has as many words.
    expect(d.weightEnumerator.reduce((a, b) => a + b, 0)).toBe(2 ** d.kernelBits);
  });

  it("agrees with the transfer matrix where enumeration cannot go (50 sites)", () => {
    const m = nSpinChain(50, 6, 0.8);
    const d = dualPartition(instanceSites(m), instanceCouplings(m), 50);
    closeTo(d.lnZ, transferMatrixChain(m).lnZ);
    // gcd(6, 50) = 2: the kernel holds the period-2 states with an even (6/2 = 3 copies) product: 2 of 4.
    expect(d.kernelBits).toBe(1);
  });

  it("works for any description: nn plus a 3-spin term with different couplings", () => {
    const m = defineModel({
      spin: "ising",
      lattice: { chain: 11 },
      terms: [
        { name: "nn", coupling: 0.3, sites: [[0], [1]] },
        { name: "three", coupling: -0.6, sites: [[0], [1], [2]] },
      ],
    });
    const d = dualPartition(instanceSites(m), instanceCouplings(m), 11);
    const en = enumerateModel(m);
    closeTo(d.lnZ, en.lnZ);
    closeTo(
      d.sigmaMeans.slice(0, 11).reduce((a, b) => a + b, 0),
      en.termMeans[0],
    );
    closeTo(
      d.sigmaMeans.slice(11).reduce((a, b) => a + b, 0),
      en.termMeans[1],
    );
  });
});
