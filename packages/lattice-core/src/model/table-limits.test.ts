// The ΔE and count tables refuse more than MAX_DELTA_E_TABLE entries: the sizes come from the
// shapes (Π_t (P_t + 1) per spin sign; Π_t (P_t + f_t + 1) counts). A 1-site ring keeps the
// geometry trivial (every shape is degenerate there, which the table sizes do not depend on).
import { describe, expect, it } from "vitest";
import { defineModel } from "./define.js";
import { isingThresholds, MAX_DELTA_E_TABLE } from "./ising.js";
import { isingCountTable } from "./ising-counts.js";

const chainSites = (n: number, from = 0) => Array.from({ length: n }, (_, k) => [from + k]);

describe("table size limits", () => {
  it("refuses tables larger than MAX_DELTA_E_TABLE (2^16 entries), naming model.terms", () => {
    expect(MAX_DELTA_E_TABLE).toBe(65536);
    const spins = (sizes: number[]) =>
      defineModel({
        spin: "ising",
        lattice: { chain: 1 },
        terms: sizes.map((k, j) => ({ name: `t${j}`, coupling: 0.1, sites: chainSites(k, j) })),
      });
    // Three 15-spin terms and a 7-spin term: 2·16³·8 = 65536 ΔE entries, just allowed.
    expect(isingThresholds(spins([15, 15, 15, 7])).length).toBe(65536);
    // With a 16-spin term instead: 2·17·16²·8 = 69632.
    expect(() => isingThresholds(spins([16, 15, 15, 7]))).toThrow(
      "model.terms: expected a ΔE table of at most 65536 entries, got 69632",
    );
    // Count tables grow with fields too: four terms of 15 fields give 16⁴ = 65536 count entries.
    const fields = (sizes: number[]) =>
      defineModel({
        spin: "ising",
        lattice: { chain: 1 },
        terms: sizes.map((k, j) => ({
          name: `h${j}`,
          coupling: 0.1,
          shapes: Array.from({ length: k }, () => [[0]]),
        })),
      });
    expect(isingCountTable(fields([15, 15, 15, 15])).deltaE.length).toBe(65536);
    expect(() => isingCountTable(fields([16, 15, 15, 15]))).toThrow(
      "model.terms: expected a count table of at most 65536 entries, got 69632",
    );
  });
});
