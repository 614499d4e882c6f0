// The neighbourhood chunk O(x, n): link types against hand-built configurations, the count-vector
// histograms against products taken placement by placement, the loss gradient against finite
// differences, the exact per-configuration lines (Z2 along links, plaquette parity across links),
// and exact expectations on a 4 × 4 torus (all 2^16 configurations, enumerated up to
// translations): the disorder chunk is path-independent at κ = 0 for all 23 pairs, the
// half-plaquette disorder chunk is not at κ ≠ 0, and the learner finds the Z2 and disorder lines.
import { random } from "@physml/autodiff";
import { beforeAll, describe, expect, it } from "vitest";
import { meanHistograms, pathHistograms } from "../src/data/histograms.js";
import { LINK_TYPES, linkType, linkTypes } from "../src/data/link-types.js";
import { type MonomialHistogram, monomialHistograms } from "../src/data/monomial-histograms.js";
import { EXTENDED_GROUPS, minimalPathGroup } from "../src/paths/minimal-paths.js";
import { DEFAULT_GROUPS, type Geometry, pathLinks, pathPairs, symmetryImages } from "../src/paths/paths.js";
import { learnNeighbourhoodLine } from "../src/train/neighbourhood-learn.js";
import {
  disorderTable,
  lineAngle,
  type MonomialMeans,
  monomialValue,
  neighbourhoodLoss,
  PLAQUETTE_PARITY_TABLE,
  pairDifferences,
  plaquetteDisorderTable,
  tableOf,
  trivialTables,
  Z2_TABLE,
} from "../src/train/neighbourhood-table.js";
import { lineValue, tableAt } from "../src/train/table.js";

function randomSpins(count: number, N: number, seed: number): Int8Array {
  const u = random.uniform(random.key(seed), [count * N]).toFloat64Array();
  return Int8Array.from(u, (v) => (v < 0.5 ? -1 : 1));
}

const maxAbs = (d: ArrayLike<number>) => Math.max(...Array.from(d, Math.abs));
const { paths, pairs } = pathPairs(EXTENDED_GROUPS);

describe("path classes", () => {
  it("reproduce the default groups and count the classes of (4,1) and (3,2)", () => {
    for (const g of DEFAULT_GROUPS) expect(minimalPathGroup(...g.displacement).paths).toEqual(g.paths);
    // (4,1): 5 paths, RRURR its own reverse → 3 classes; (3,2): 10 paths, 2 palindromes → 6.
    expect(minimalPathGroup(4, 1).paths).toHaveLength(3);
    expect(minimalPathGroup(3, 2).paths).toHaveLength(6);
    expect(pairs).toHaveLength(23);
  });
});

describe("link types", () => {
  it("one flipped spin in an ordered 4 × 4 torus", () => {
    const L = 4;
    const spins = new Int8Array(L * L).fill(1);
    spins[1 + L * 1] = -1;
    const t = linkTypes(spins, 0, L);
    const count = (type: number) => t.filter((v) => v === type).length;
    // Its 4 links are unsatisfied, each between two of its 4 frustrated plaquettes; the other 8
    // links of those plaquettes border one frustrated plaquette; the remaining 20 none.
    expect(count(linkType(-1, 2))).toBe(4);
    expect(count(linkType(1, 1))).toBe(8);
    expect(count(linkType(1, 0))).toBe(20);
    expect(t).toHaveLength(32);
  });

  it("every plaquette borders four links: Σ_links n = 4 × frustrated plaquettes", () => {
    const L = 6;
    const spins = randomSpins(5, L * L, 11);
    for (let c = 0; c < 5; c++) {
      const s = (x: number, y: number) => spins[c * L * L + ((x + L) % L) + L * ((y + L) % L)];
      let frustrated = 0;
      for (let y = 0; y < L; y++)
        for (let x = 0; x < L; x++)
          if (s(x, y) * s(x + 1, y) * s(x, y + 1) * s(x + 1, y + 1) < 0) frustrated++;
      const n = Array.from(linkTypes(spins, c, L), (t) => t % 3).reduce((a, b) => a + b, 0);
      expect(n).toBe(4 * frustrated);
    }
  });
});

describe("count-vector histograms", () => {
  const L = 6;
  const spins = randomSpins(4, L * L, 5);
  const table = Float64Array.from(
    random.uniform(random.key(9), [LINK_TYPES]).toFloat64Array(),
    (v) => 0.4 + v,
  );

  it.each(["links", "crossing"] as Geometry[])(
    "give ⟨ψ_a⟩ of a random table as the product over placements (%s)",
    (g) => {
      const h = monomialHistograms(spins, L, paths, g);
      for (let c = 0; c < 4; c++) {
        const types = linkTypes(spins, c, L);
        paths.forEach((path, a) => {
          let sum = 0;
          let n = 0;
          for (const img of symmetryImages(path))
            for (let y = 0; y < L; y++)
              for (let x = 0; x < L; x++) {
                sum += pathLinks(img, x, y, L, g).reduce((p, l) => p * table[types[l]], 1);
                n++;
              }
          const row = h[a].p.subarray(c * h[a].bins, (c + 1) * h[a].bins);
          expect(monomialValue(h[a].monomials, row, table)).toBeCloseTo(sum / n, 12);
        });
      }
    },
  );

  it("a table blind to n gives the two-entry chunk's ⟨ψ_a⟩", () => {
    const phi = 1.1;
    const [u, v] = tableAt(phi);
    const blind = tableOf((x) => (x > 0 ? u : v));
    const h6 = meanHistograms(monomialHistograms(spins, L, paths, "crossing"));
    const h2 = meanHistograms(pathHistograms(spins, L, paths, "crossing"));
    const mono = monomialHistograms(spins.subarray(0, L * L), L, paths, "crossing").map((x) => x.monomials);
    paths.forEach((_, a) => {
      expect(monomialValue(mono[a], h6[a], blind)).toBeCloseTo(lineValue(h2[a], phi).value, 12);
    });
  });

  it("the loss gradient matches central differences", () => {
    const h = monomialHistograms(spins, L, paths, "links");
    const data = { monomials: h.map((x) => x.monomials), means: meanHistograms(h) };
    const { grad } = neighbourhoodLoss(data, pairs, table);
    const e = 1e-6;
    for (let t = 0; t < LINK_TYPES; t++) {
      const plus = table.slice();
      const minus = table.slice();
      plus[t] += e;
      minus[t] -= e;
      const fd =
        (neighbourhoodLoss(data, pairs, plus).loss - neighbourhoodLoss(data, pairs, minus).loss) / (2 * e);
      expect(Math.abs(grad[t] - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
    }
  });
});

describe("lines exact on every configuration", () => {
  const L = 6;
  const spins = randomSpins(3, L * L, 21);
  const perConfig = (h: MonomialHistogram[], c: number): MonomialMeans => ({
    monomials: h.map((x) => x.monomials),
    means: h.map((x) => x.p.subarray(c * x.bins, (c + 1) * x.bins)),
  });

  it("the Z2 chunk along links and the plaquette parity across links; a random table neither", () => {
    const links = monomialHistograms(spins, L, paths, "links");
    const crossing = monomialHistograms(spins, L, paths, "crossing");
    const generic = tableOf((x, n) => 1 + 0.3 * x + 0.2 * n);
    for (let c = 0; c < 3; c++) {
      expect(maxAbs(pairDifferences(perConfig(links, c), pairs, Z2_TABLE).d)).toBeLessThan(1e-12);
      expect(maxAbs(pairDifferences(perConfig(crossing, c), pairs, PLAQUETTE_PARITY_TABLE).d)).toBeLessThan(
        1e-12,
      );
      expect(maxAbs(pairDifferences(perConfig(crossing, c), pairs, Z2_TABLE).d)).toBeGreaterThan(1e-3);
      expect(maxAbs(pairDifferences(perConfig(links, c), pairs, PLAQUETTE_PARITY_TABLE).d)).toBeGreaterThan(
        1e-3,
      );
      expect(maxAbs(pairDifferences(perConfig(crossing, c), pairs, generic).d)).toBeGreaterThan(1e-3);
    }
  });
});

// Exact expectations on the 4 × 4 torus. Histograms are translation invariant, so one
// configuration per translation orbit is enough, weighted by the orbit's size.
describe("exact expectations on a 4 × 4 torus", () => {
  const L = 4;
  const N = L * L;
  const reps: number[] = [];
  const sizes: number[] = [];
  const shift = (c: number, dx: number, dy: number) => {
    let out = 0;
    for (let y = 0; y < L; y++)
      for (let x = 0; x < L; x++)
        if ((c >> (x + L * y)) & 1) out |= 1 << (((x + dx) % L) + L * ((y + dy) % L));
    return out;
  };
  for (let c = 0; c < 1 << N; c++) {
    const orbit = new Set<number>();
    let minimal = true;
    for (let dy = 0; dy < L && minimal; dy++)
      for (let dx = 0; dx < L; dx++) {
        const s = shift(c, dx, dy);
        if (s < c) {
          minimal = false;
          break;
        }
        orbit.add(s);
      }
    if (minimal) {
      reps.push(c);
      sizes.push(orbit.size);
    }
  }
  const spins = new Int8Array(reps.length * N);
  reps.forEach((c, r) => {
    for (let i = 0; i < N; i++) spins[r * N + i] = (c >> i) & 1 ? -1 : 1;
  });
  const hist: Record<Geometry, MonomialHistogram[]> = { links: [], crossing: [] };

  function exactMeans(g: Geometry, K: number, kappa: number): MonomialMeans {
    const w = reps.map((_, r) => {
      const s = (x: number, y: number) => spins[r * N + (x % L) + L * (y % L)];
      let e = 0;
      for (let y = 0; y < L; y++)
        for (let x = 0; x < L; x++)
          e +=
            K * s(x, y) * (s(x + 1, y) + s(x, y + 1)) +
            kappa * s(x, y) * s(x + 1, y) * s(x, y + 1) * s(x + 1, y + 1);
      return sizes[r] * Math.exp(e);
    });
    const z = w.reduce((a, b) => a + b, 0);
    return {
      monomials: hist[g].map((h) => h.monomials),
      means: hist[g].map((h) => {
        const m = new Float64Array(h.bins);
        for (let r = 0; r < reps.length; r++)
          for (let k = 0; k < h.bins; k++) m[k] += (w[r] / z) * h.p[r * h.bins + k];
        return m;
      }),
    };
  }

  beforeAll(() => {
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1 << N);
    hist.links = monomialHistograms(spins, L, paths, "links");
    hist.crossing = monomialHistograms(spins, L, paths, "crossing");
  });

  it("the disorder chunk is path-independent at κ = 0; the half-plaquette chunk is not at κ = 0.2", () => {
    const K = 0.3;
    expect(maxAbs(pairDifferences(exactMeans("crossing", K, 0), pairs, disorderTable(K)).d)).toBeLessThan(
      1e-11,
    );
    const plaquette = exactMeans("crossing", K, 0.2);
    expect(maxAbs(pairDifferences(plaquette, pairs, plaquetteDisorderTable(K, 0.2)).d)).toBeGreaterThan(1e-4);
    expect(maxAbs(pairDifferences(plaquette, pairs, disorderTable(K)).d)).toBeGreaterThan(1e-4);
  });

  it.each([
    ["links", Z2_TABLE],
    ["crossing", disorderTable(0.3)],
  ] as [Geometry, Float64Array][])("the learner finds the exact line (%s)", (g, line) => {
    const r = learnNeighbourhoodLine({
      data: exactMeans(g, 0.3, 0),
      pairs,
      trivial: trivialTables(g),
      starts: 8,
      steps: 60,
      exclusion: (5 * Math.PI) / 180,
      seed: 4,
    });
    expect(r.table).toBeDefined();
    expect(lineAngle(r.table as Float64Array, line)).toBeLessThan(1e-6);
    expect(r.loss).toBeLessThan(1e-24);
  });
});
