// The translation argument behind the packed measurement, checked without a GPU: counting
// only the distinct corner products and assembling must give exactly the 13 shape features of
// lattice-core (computed link by link) and the 4 term sums computed from their definitions.
import { linkVariables, shapeFeatures, squareLattice } from "@physml/lattice-core";
import { seededUint32 } from "@physml/lattice-core/testing";
import { describe, expect, test } from "vitest";
import { SHAPE_MASKS } from "../cpu/measure.js";
import { packedMeasurePlan } from "./measure-plan.js";

describe("packed measurement plan", () => {
  test("assembled sums equal lattice-core features and the term definitions (random configurations)", () => {
    const plan = packedMeasurePlan(SHAPE_MASKS);
    // Corner products need at most these 6: M, Σab, Σad, Σac, Σbd, Σabcd.
    expect(plan.masks.length).toBe(6);
    const lat = squareLattice(6, 4);
    const n = lat.nSites;
    const rnd = seededUint32(12345);
    for (let trial = 0; trial < 20; trial++) {
      const s = Int8Array.from({ length: n }, () => (rnd() & 1 ? 1 : -1));
      // Raw quantities as the GPU defines them: Σ over sites of the product of the masked corners.
      const raw = Int32Array.from(plan.masks, (m) => {
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const [x, y] = lat.coords(i);
          const corners = [lat.site(x, y), lat.site(x + 1, y), lat.site(x + 1, y + 1), lat.site(x, y + 1)];
          let p = 1;
          for (let k = 0; k < 4; k++) if (m & (1 << k)) p *= s[corners[k]];
          sum += p;
        }
        return sum;
      });
      const terms = new Float64Array(4);
      const features = new Float64Array(13);
      plan.assemble(raw, 1, n, terms, features);
      expect(Array.from(features)).toEqual(Array.from(shapeFeatures(lat, linkVariables(lat, s))));
      let sNn = 0;
      let sPlaq = 0;
      let sNnn = 0;
      let m = 0;
      for (let i = 0; i < n; i++) {
        const [x, y] = lat.coords(i);
        const p = lat.plaquetteSites(i);
        sNn += s[i] * (s[lat.site(x + 1, y)] + s[lat.site(x, y + 1)]);
        sPlaq += s[p[0]] * s[p[1]] * s[p[2]] * s[p[3]];
        for (const b of [2 * i, 2 * i + 1]) {
          const [u, v] = lat.nnnBondSites(b);
          sNnn += s[u] * s[v];
        }
        m += s[i];
      }
      expect(Array.from(terms)).toEqual([sNn, sPlaq, sNnn, m]);
    }
  });
});
