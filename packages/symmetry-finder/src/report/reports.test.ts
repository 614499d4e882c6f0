import { reportHtml } from "@physml/runs";
import { describe, expect, it } from "vitest";
import type { CicySplit } from "../cicy/split.js";
import { heatmapChart } from "./charts.js";
import { cicyReport, pca2 } from "./reports.js";

describe("reports", () => {
  it("pca2 recovers the two principal directions of points on a tilted plane", () => {
    // points a·u + b·v in R³, a and b centred and uncorrelated, a 10× wider: PC1 ∥ u, PC2 ∥ v
    const n = 200;
    const u = [1 / Math.sqrt(2), 1 / Math.sqrt(2), 0];
    const v = [0, 0, 1];
    const x = new Float64Array(3 * n);
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = 10 * (i % 4 < 2 ? 1 : -1) * (1 + (i % 8 < 4 ? 0.5 : 0));
      b[i] = i % 2 === 0 ? 1 : -1;
      for (let k = 0; k < 3; k++) x[3 * i + k] = 5 + a[i] * u[k] + b[i] * v[k];
    }
    const [p1, p2] = pca2(x, n);
    const mean = (z: Float64Array) => z.reduce((s, t) => s + t, 0) / n;
    const ma = mean(a);
    const mb = mean(b);
    for (let i = 0; i < n; i++) {
      expect(Math.abs(Math.abs(p1[i]) - Math.abs(a[i] - ma))).toBeLessThan(1e-9);
      expect(Math.abs(Math.abs(p2[i]) - Math.abs(b[i] - mb))).toBeLessThan(1e-9);
    }
  });

  it("a CICY report is one self-contained page with its plot and the error bars in the summary", async () => {
    const split = {
      kind: "cicys",
      train: [0, 1, 2],
      test: { x: new Float64Array(0), index: Int32Array.from([3, 3, 4, 4]) },
      exclude: new Set<string>(),
      singleArrangement: 0,
    } satisfies CicySplit;
    const history = [1, 2].map((epoch) => ({
      epoch,
      loss: 1 / epoch,
      h11Accuracy: 0.5 + 0.1 * epoch,
      h21Accuracy: 0.2,
      h11Test: 0.5,
      h21Test: 0.1,
      seconds: epoch,
      samples: 10 * epoch,
    }));
    const head = (accuracy: number) => ({
      accuracy,
      error: Math.sqrt((accuracy * (1 - accuracy)) / 2),
      n: 2,
    });
    const html = await reportHtml(
      cicyReport({ history, accuracy: { h11: head(0.5), h21: head(0) }, split, model: "equivariant" }),
    );
    expect(html.match(/<svg/g)?.length).toBe(1);
    expect(html).toContain("0.5000 ± 0.3536 (n = 2 CICYs)");
    expect(html).not.toMatch(/<script|NaN|null/);
  });

  it("a heat map writes every entry of the matrix", async () => {
    const { renderSvg } = await import("@physml/runs");
    const svg = await renderSvg(
      heatmapChart({
        title: "g",
        matrix: [
          [0, -0.71],
          [0.71, 0],
        ],
      }),
    );
    // d3-format writes a minus sign (U+2212)
    expect(svg.match(/>[−-]0\.71</g)?.length).toBe(1);
    expect(svg.match(/>0\.71</g)?.length).toBe(1);
    expect(svg.match(/>0\.00</g)?.length).toBe(2);
  });
});
