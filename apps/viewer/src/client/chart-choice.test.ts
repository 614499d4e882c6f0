// The chart choice against hand-enumerated answers: every record seen so far counts, a value
// stored as the text "NaN" marks its metric without becoming a point.
import { describe, expect, test } from "vitest";
import { chartedKeys, chartsFor, MAX_METRIC_CHARTS, type MetricRecord } from "./chart-choice.js";

// What metrics.jsonl holds after a diverged first step: the writer stores NaN and ±Infinity as texts.
const lines = [
  '{"step":0,"phase":"train","loss":"NaN","grad":"Infinity","lr":0.1,"elapsedMs":5}',
  '{"step":1,"phase":"train","loss":0.5,"grad":2,"lr":0.1,"elapsedMs":9}',
  '{"step":2,"phase":"train","loss":0.25,"grad":"-Infinity","lr":0.05,"late":3,"elapsedMs":14}',
];
const records = lines.map((l) => JSON.parse(l) as MetricRecord);
const ids = (rs: MetricRecord[]) => chartsFor(rs, null).map((c) => c.id);

describe("the charts of a run's metrics", () => {
  test("a metric whose first value is the text NaN, or that starts later, gets its chart", () => {
    const charts = chartsFor(records, null);
    expect(charts.map((c) => c.spec.title)).toEqual(["loss", "grad", "lr", "late"]);
    // texts are left out of the line; a record without the key too
    expect(charts.map((c) => c.ys(records))).toEqual([
      [[null, 0.5, 0.25]],
      [[null, 2, null]],
      [[0.1, 0.1, 0.05]],
      [[null, null, 3]],
    ]);
  });

  test("a metric whose every value so far is a text is charted, with no point", () => {
    const first = [records[0]];
    const charts = chartsFor(first, null);
    expect(charts.map((c) => c.id)).toEqual(["metric:loss", "metric:grad", "metric:lr"]);
    expect(charts[0].ys(first)).toEqual([[null]]);
    // JSON.parse reads 1e999 as Infinity: a value, not a point
    const big = [JSON.parse('{"step":0,"big":1e999}') as MetricRecord];
    expect(chartsFor(big, null).map((c) => [c.id, c.ys(big)])).toEqual([["metric:big", [[null]]]]);
  });

  test("labels, arrays, step and elapsedMs are not charted", () => {
    const rs = [{ step: 0, elapsedMs: 1, phase: "NaN-like", name: "nan", t: [1, 2], fit: { chi2: 1 } }];
    expect(chartedKeys(rs)).toEqual([]);
  });

  test("more records only add charts at the end", () => {
    for (let n = 1; n <= records.length; n++)
      expect(ids(records).slice(0, ids(records.slice(0, n)).length)).toEqual(ids(records.slice(0, n)));
  });

  test(`at most ${MAX_METRIC_CHARTS} charts, the first metrics to appear`, () => {
    const rs = Array.from({ length: 10 }, (_, i) => ({ step: i, [`m${9 - i}`]: i === 0 ? "NaN" : i }));
    expect(chartedKeys(rs)).toEqual(["m9", "m8", "m7", "m6", "m5", "m4", "m3", "m2"]);
  });

  test("a duality run whose first loss diverged keeps its three plots", () => {
    const exact = 0.6;
    const rs: MetricRecord[] = [
      { step: 0, loss: "NaN", t: ["NaN", 0, 0, 0], theta: ["NaN", "NaN"], tau: 1 },
      { step: 1, loss: 0.01, t: [-0.7, 0, 0, 0], theta: [-1.5, 2.1], tau: 1 },
      { step: 2, loss: 0.004, t: [-0.65, 0, 0, 0], theta: [-1.4, 2.0], tau: 1 },
    ];
    const charts = chartsFor(rs, exact);
    expect(charts.map((c) => c.id)).toEqual(["duality:loss", "duality:t0", "duality:theta"]);
    expect(charts.map((c) => c.ys(rs))).toEqual([
      [[null, 0.01, 0.004]],
      // the exact line takes the sign of the last learned t0
      [
        [null, -0.7, -0.65],
        [-exact, -exact, -exact],
      ],
      [
        [null, -1.5, -1.4],
        [null, 2.1, 2.0],
      ],
    ]);
    // the first record alone (loss and t0 both texts) already is a duality run
    expect(ids(rs.slice(0, 1))).toEqual(["duality:loss", "duality:t0", "duality:theta"]);
  });
});
