// The Z2 line's chunks telescope: for O = s_i s_j every path's ψ is s_m s_n, configuration by
// configuration (independent truth: the product of the endpoint spins), so the loss is 0 exactly.
import { random } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { meanHistograms, pathHistograms } from "../src/data/histograms.js";
import { DEFAULT_GROUPS, pathLinks, pathPairs, symmetryImages } from "../src/paths/paths.js";
import { lineValue, pathLoss, Z2_ANGLE } from "../src/train/table.js";

const L = 6;
const N = L * L;

function randomSpins(count: number, seed: number): Int8Array {
  const u = random.uniform(random.key(seed), [count * N]).toFloat64Array();
  return Int8Array.from(u, (x) => (x < 0.5 ? -1 : 1));
}

describe("paths", () => {
  it("ψ of O = s_i s_j along every path and image equals s_m s_n per configuration", () => {
    const spins = randomSpins(5, 3);
    const { paths } = pathPairs(DEFAULT_GROUPS);
    for (let c = 0; c < 5; c++) {
      const s = (x: number, y: number) => spins[c * N + (((x % L) + L) % L) + L * (((y % L) + L) % L)];
      const link = (i: number) => {
        const site = i % N;
        const x = site % L;
        const y = Math.floor(site / L);
        return i < N ? s(x, y) * s(x + 1, y) : s(x, y) * s(x, y + 1);
      };
      for (const p of paths)
        for (const img of symmetryImages(p)) {
          let dx = 0;
          let dy = 0;
          for (const m of img) {
            dx += m === "R" ? 1 : m === "L" ? -1 : 0;
            dy += m === "U" ? 1 : m === "D" ? -1 : 0;
          }
          for (const [x0, y0] of [
            [0, 0],
            [4, 5],
            [2, 3],
          ]) {
            const psi = pathLinks(img, x0, y0, L, "links").reduce((acc, i) => acc * link(i), 1);
            expect(psi).toBe(s(x0, y0) * s(x0 + dx, y0 + dy));
          }
        }
    }
  });

  it("the table at the Z2 angle reproduces ⟨s_m s_n⟩ and has zero loss on any configurations", () => {
    const spins = randomSpins(20, 4);
    const { paths, pairs } = pathPairs(DEFAULT_GROUPS);
    const h = pathHistograms(spins, L, paths, "links");
    const means = meanHistograms(h);
    expect(pathLoss(means, pairs, Z2_ANGLE).loss).toBeLessThan(1e-28);
    // O = (1, −1)·(−1) at 135°: ψ = (−1)^ℓ s_m s_n; check the RRU mean against a direct average.
    let direct = 0;
    for (let c = 0; c < 20; c++)
      for (let y = 0; y < L; y++)
        for (let x = 0; x < L; x++) {
          const s = (a: number, b: number) => spins[c * N + (a % L) + L * (b % L)];
          // The 8 images of RRU reach the 8 displacements (±2, ±1), (±1, ±2).
          for (const [dx, dy] of [
            [2, 1],
            [-1, 2],
            [-2, -1],
            [1, -2],
            [1, 2],
            [-2, 1],
            [-1, -2],
            [2, -1],
          ])
            direct += s(x, y) * s(x + dx + L, y + dy + L);
        }
    direct /= 20 * N * 8;
    expect(lineValue(means[0], Z2_ANGLE).value).toBeCloseTo(-direct, 12);
  });

  it("dL/dφ agrees with a central finite difference", () => {
    const spins = randomSpins(10, 5);
    const { paths, pairs } = pathPairs(DEFAULT_GROUPS);
    const means = meanHistograms(pathHistograms(spins, L, paths, "crossing"));
    for (const phi of [0.3, 1.1, 2.0, 2.9]) {
      const h = 1e-5;
      const fd = (pathLoss(means, pairs, phi + h).loss - pathLoss(means, pairs, phi - h).loss) / (2 * h);
      expect(pathLoss(means, pairs, phi).dPhi).toBeCloseTo(fd, 8);
    }
  });
});
