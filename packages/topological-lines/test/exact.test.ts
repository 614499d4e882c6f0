// Exact expectations on a 4 × 4 torus by enumerating all 2^16 configurations (independent of
// the sampler). The disorder line chunk e^{−2K s_i s_j} on the links a dual path crosses is
// path-independent in expectation for the nn model — the Z2 defect moves by flipping one spin,
// a change of variables — while the Z2 chunk is not, across links; along links the roles swap;
// and with a plaquette coupling the link-only disorder chunk stops being path-independent.
// "Exact" is checked to 1e-11 (rounding of 2^16 weighted terms), "not" as a difference > 1e-4.
import { describe, expect, it } from "vitest";
import { pathHistograms } from "../src/data/histograms.js";
import type { Geometry } from "../src/paths/paths.js";
import { DEFAULT_GROUPS, pathPairs } from "../src/paths/paths.js";
import { disorderAngle, lineValue, Z2_ANGLE } from "../src/train/table.js";

const L = 4;
const N = L * L;
const S = 1 << N;
const spins = new Int8Array(S * N);
for (let c = 0; c < S; c++) for (let i = 0; i < N; i++) spins[c * N + i] = (c >> i) & 1 ? -1 : 1;

function weights(K: number, kappa: number): Float64Array {
  const w = new Float64Array(S);
  let z = 0;
  for (let c = 0; c < S; c++) {
    const s = (x: number, y: number) => spins[c * N + (x % L) + L * (y % L)];
    let e = 0;
    for (let y = 0; y < L; y++)
      for (let x = 0; x < L; x++) {
        e += K * s(x, y) * (s(x + 1, y) + s(x, y + 1));
        e += kappa * s(x, y) * s(x + 1, y) * s(x, y + 1) * s(x + 1, y + 1);
      }
    w[c] = Math.exp(e);
    z += w[c];
  }
  return w.map((v) => v / z);
}

const { paths, pairs } = pathPairs(DEFAULT_GROUPS);
const hist = {
  links: pathHistograms(spins, L, paths, "links"),
  crossing: pathHistograms(spins, L, paths, "crossing"),
};

/** Exact ⟨ψ_a⟩ − ⟨ψ_b⟩ of every pair for the table at angle φ. */
function differences(g: Geometry, w: Float64Array, phi: number): number[] {
  const exact = hist[g].map(({ length, p }) => {
    const m = new Float64Array(length + 1);
    for (let c = 0; c < S; c++) for (let k = 0; k <= length; k++) m[k] += w[c] * p[c * (length + 1) + k];
    return lineValue(m, phi).value;
  });
  return pairs.map(([a, b]) => exact[a] - exact[b]);
}

const maxAbs = (d: number[]) => Math.max(...d.map(Math.abs));

describe("exact lines on a 4 × 4 torus", () => {
  const K = 0.4;
  const w = weights(K, 0);

  it("the disorder chunk e^{−2K x} across links is path-independent", () => {
    expect(maxAbs(differences("crossing", w, disorderAngle(K)))).toBeLessThan(1e-11);
  });

  it("the Z2 chunk x along links is path-independent; each fails in the other geometry", () => {
    expect(maxAbs(differences("links", w, Z2_ANGLE))).toBeLessThan(1e-11);
    expect(maxAbs(differences("crossing", w, Z2_ANGLE))).toBeGreaterThan(1e-4);
    expect(maxAbs(differences("links", w, disorderAngle(K)))).toBeGreaterThan(1e-4);
  });

  it("a generic table is not path-independent in either geometry", () => {
    expect(maxAbs(differences("links", w, 1.2))).toBeGreaterThan(1e-4);
    expect(maxAbs(differences("crossing", w, 2.0))).toBeGreaterThan(1e-4);
  });

  it("with a plaquette coupling the link-only disorder chunk is no longer path-independent", () => {
    const wp = weights(K, 0.2);
    expect(maxAbs(differences("links", wp, Z2_ANGLE))).toBeLessThan(1e-11);
    expect(maxAbs(differences("crossing", wp, disorderAngle(K)))).toBeGreaterThan(1e-4);
  });
});
