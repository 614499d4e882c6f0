// Stability labels and data sets of the n-spin chain against a brute-force energy written here
// (independent of lattice-core's stencils), and the classification gap between representations.
import { describe, expect, it } from "vitest";
import { chainData } from "../src/chain/dataset.js";
import { nSpinChain } from "../src/chain/model.js";
import { chainPoint } from "../src/chain/task.js";
import { resolveChainConfig } from "../src/config.js";

function energy(s: Int8Array, n: number, J: number): number {
  let e = 0;
  for (let k = 0; k < s.length; k++) {
    let p = 1;
    for (let l = 0; l < n; l++) p *= s[(k + l) % s.length];
    e -= J * p;
  }
  return e;
}

function bruteStableCount(N: number, n: number, J: number): number {
  let count = 0;
  const s = new Int8Array(N);
  for (let code = 0; code < 2 ** N; code++) {
    for (let i = 0; i < N; i++) s[i] = (code >> i) & 1 ? -1 : 1;
    const e0 = energy(s, n, J);
    let stable = true;
    for (let i = 0; i < N && stable; i++) {
      s[i] = -s[i];
      if (energy(s, n, J) < e0) stable = false;
      s[i] = -s[i];
    }
    if (stable) count++;
  }
  return count;
}

describe("chain stability data", () => {
  it.each([
    [10, 3, 1],
    [12, 4, 1],
    [11, 5, -1],
  ])(
    "N=%i n=%i J=%i: enumerated stable count equals brute force; labels agree in both representations",
    (N, n, J) => {
      const d = chainData(nSpinChain(N, n, J), 64, 1);
      expect(d.source).toBe("enumerated");
      expect(d.stableStates).toBe(bruteStableCount(N, n, J));
      expect(d.labelMismatches).toBe(0);
      expect(d.labelsChecked).toBe(2 ** N); // small chains: every state compared
      // Balanced, and each row's label is its true stability.
      const ones = d.original.y.reduce((a, b) => a + b, 0);
      expect(ones).toBe(d.perClass);
      for (let r = 0; r < d.original.n; r++) {
        const s = Int8Array.from(d.original.x.subarray(r * N, (r + 1) * N));
        const e0 = energy(s, n, J);
        let stable = 1;
        for (let i = 0; i < N; i++) {
          s[i] = -s[i];
          if (energy(s, n, J) < e0) stable = 0;
          s[i] = -s[i];
        }
        expect(d.original.y[r]).toBe(stable);
        // σ_k = Π_{l<n} s_{k+l}
        for (let k = 0; k < N; k++) {
          let p = 1;
          for (let l = 0; l < n; l++) p *= s[(k + l) % N];
          expect(d.dual.x[r * N + k]).toBe(p);
        }
      }
    },
  );

  it("quench data beyond enumeration: every positive is stable, every negative is not", () => {
    const d = chainData(nSpinChain(30, 4), 40, 3);
    expect(d.source).toBe("quench");
    expect(d.labelMismatches).toBe(0);
    for (let r = 0; r < d.original.n; r++) {
      const s = Int8Array.from(d.original.x.subarray(r * 30, (r + 1) * 30));
      const e0 = energy(s, 4, 1);
      let stable = 1;
      for (let i = 0; i < 30; i++) {
        s[i] = -s[i];
        if (energy(s, 4, 1) < e0) stable = 0;
        s[i] = -s[i];
      }
      expect(d.original.y[r]).toBe(stable);
    }
  });

  it("the simple network classifies in σ, not in s (N=12, n=6; seeded)", () => {
    const c = resolveChainConfig({ sites: 12, n: [6], epochs: 12, perClass: 1024, seed: 2 });
    const p = chainPoint(c, 6);
    expect(p.exact.passed).toBe(true);
    // test rows ≈ 400: chance ± 4σ is 0.5 ± 0.1
    expect(p.original.bestTest).toBeLessThan(0.62);
    expect(p.dual.bestTest).toBeGreaterThan(0.85);
  });

  it("two hidden layers of 96, enough to compute every σ_k, still classify in σ far better than in s", () => {
    // 12 windows × (n + 1) = 84 threshold units compute the parities σ_k, so the deeper network
    // could represent the map to σ; in this budget it does not find it
    const c = resolveChainConfig({
      sites: 12,
      n: [6],
      epochs: 12,
      perClass: 1024,
      seed: 2,
      depth: 2,
      hidden: 96,
    });
    const p = chainPoint(c, 6);
    // test rows ≈ 400: an accuracy's σ ≤ 0.025, so a gap of 0.2 is 5.6 σ of the difference
    expect(p.dual.bestTest - p.original.bestTest).toBeGreaterThan(0.2);
    expect(p.dual.bestTest).toBeGreaterThan(0.85);
  });
});
