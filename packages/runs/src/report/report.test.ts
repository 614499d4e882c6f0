import { Writable } from "node:stream";
import { describe, expect, test } from "vitest";
import { createProgress } from "../progress/progress.js";
import { reportHtml } from "./html.js";
import { barChart, renderSvg, xyChart } from "./plot.js";

describe("reports", () => {
  test("an x–y chart has titled axes, a log axis with real values, error bars and two legends", async () => {
    const spec = xyChart({
      title: "sweep",
      xTitle: "β (original coupling)",
      yTitle: "|t0| (dual coupling)",
      series: [
        { name: "exact β̃(β)", x: [0.1, 0.5, 0.9], y: [1.2, 0.3, 0.1], style: "dashed" },
        { name: "learned", x: [0.1, 0.9], y: [1.21, 0.11], error: [0.02, 0.01], style: "points" },
      ],
    });
    const svg = await renderSvg(spec);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("β (original coupling)");
    expect(svg).toContain("|t0| (dual coupling)");
    expect(svg).toContain("exact β̃(β)");
    expect(svg).toContain("measured (±1σ)"); // the markers' own legend
    // Two error-bar rules, one per marker, each spanning ±σ around its point.
    expect(svg.match(/aria-roledescription="rule mark"/g)).toHaveLength(2);
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(2);
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(1);
    const log = await renderSvg(
      xyChart({
        title: "loss",
        xTitle: "training step",
        yTitle: "loss Σ(ψ − T)² (dimensionless)",
        logY: true,
        series: [{ name: "pooled loss", x: [0, 1, 2, 3], y: [1, 0.1, 1e-3, -1], style: "line" }],
      }),
    );
    // Solid and dashed lines share one "lines" legend listing both (not one legend per layer).
    const both = await renderSvg(
      xyChart({
        title: "t0",
        xTitle: "step",
        yTitle: "t0 (dimensionless)",
        series: [
          { name: "learned t0", x: [0, 1], y: [0.5, 0.6], style: "line" },
          { name: "exact β̃", x: [0, 1], y: [0.61, 0.61], style: "dashed" },
        ],
      }),
    );
    expect(both.match(/>lines</g)).toHaveLength(1);
    expect(both).toContain("learned t0");
    expect(both).toContain("exact β̃");
    // Tick labels are the values themselves (1e-3), not their logarithms (-3).
    expect(log).toMatch(/>1e-3</);
    expect(log).not.toMatch(/log10/);
  });

  test("an x–y chart of metrics read back with non-finite texts leaves those points and bars out", () => {
    // metrics.jsonl stores a diverged number as its text: the records read back hold "NaN" there
    const text = (v: string) => v as unknown as number;
    const spec = xyChart({
      title: "σ",
      xTitle: "epoch",
      yTitle: "σ",
      logY: true,
      series: [
        {
          name: "model",
          x: [0, 1, 2, 3, 4],
          y: [0.5, text("NaN"), text("Infinity"), 0.25, 0.125],
          error: [0.01, 0.01, 0.01, text("NaN"), text("-Infinity")],
          style: "points",
        },
      ],
    }) as { data: { values: Record<string, unknown>[] } };
    expect(spec.data.values.map((r) => [r.x, r.y, r.lo, r.hi])).toEqual([
      [0, 0.5, 0.49, 0.51],
      [3, 0.25, 0.25, 0.25],
      [4, 0.125, 0.125, 0.125],
    ]);
  });

  test("bar chart and page: self-contained, offline, escaped", async () => {
    const html = await reportHtml({
      title: "a <b> run",
      summary: [["β", "0.3"]],
      charts: [
        barChart({
          title: "attention",
          xTitle: "candidate link",
          yTitle: "attention weight (probability)",
          bars: [
            { label: "a", value: 0.9, group: "dual" },
            { label: "b", value: 0.1, group: "identity" },
          ],
          groups: [
            { name: "dual", color: "#228833" },
            { name: "identity", color: "#cc3311" },
          ],
          yMax: 1,
        }),
      ],
      tables: [{ head: ["x"], rows: [["1"]] }],
    });
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("a &lt;b&gt; run");
    expect(html).toContain("attention weight (probability)");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});

describe("progress", () => {
  const sink = (isTTY: boolean) => {
    let text = "";
    const s = new Writable({
      write(chunk, _e, cb) {
        text += String(chunk);
        cb();
      },
    }) as unknown as NodeJS.WriteStream;
    (s as { isTTY: boolean }).isTTY = isTTY;
    (s as { columns: number }).columns = 100;
    return { s, text: () => text };
  };

  test("no bar when the stream is not a terminal or with quiet; log lines unless quiet", () => {
    const plain = sink(false);
    const p = createProgress({ stream: plain.s });
    p.update(1, 10, { loss: "1e-2" });
    p.log("target measured");
    p.stop();
    expect(p.drawing).toBe(false);
    expect(plain.text()).toBe("target measured\n");
    const quiet = sink(true);
    const q = createProgress({ stream: quiet.s, quiet: true });
    q.update(1, 10);
    q.log("x");
    q.stop();
    expect(quiet.text()).toBe("");
  });

  test("on a terminal the bar shows step, total and values", () => {
    const tty = sink(true);
    const p = createProgress({ stream: tty.s });
    p.update(5, 10, { loss: "1.0e-3", t0: "0.6123" });
    p.stop();
    expect(tty.text()).toMatch(/step 5\/10/);
    expect(tty.text()).toMatch(/loss 1\.0e-3 {2}t0 0\.6123/);
  });
});
