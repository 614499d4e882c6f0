import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PhysmlInputError } from "@physml/lattice-core";
import { expect, test } from "vitest";
import { openRun } from "../dir/run.js";
import { listRuns } from "../index/summary.js";
import { readParquetTable, runsTable, toCsv, toParquet } from "./table.js";

const provenance = { package: "@physml/test", version: "1.0.0", git: null };

function makeRuns() {
  const root = mkdtempSync(join(tmpdir(), "physml-table-"));
  for (const [name, beta, done] of [
    ["beta-0.300", 0.3, true],
    ["beta-0.700", 0.7, false],
  ] as const) {
    const run = openRun({
      dir: join(root, "sweep", name),
      kind: "toy",
      input: { beta, opts: { note: 'say "hi", ok' } },
      resolve: (i) => i as object,
      provenance,
    });
    run.appendMetric({ step: 0, loss: 1 });
    if (done) {
      run.writeResult({ t0: beta * 2, nested: { err: 0.01 } });
      run.close();
    } else run.abandon(new PhysmlInputError("beta", "a number below 0.5", beta));
  }
  return root;
}

test("a table of runs: one row per run, config, result and failure flattened, empty cells where absent", () => {
  const runs = listRuns(makeRuns());
  expect(runs.map((r) => [r.dir, r.status, r.metricsLines])).toEqual([
    ["sweep/beta-0.300", "finished", 1],
    ["sweep/beta-0.700", "unfinished", 1],
  ]);
  const t = runsTable(runs);
  expect(t.columns).toContain("config.beta");
  expect(t.columns).toContain("result.nested.err");
  const col = (c: string) => t.rows.map((r) => r[t.columns.indexOf(c)]);
  expect(col("config.beta")).toEqual([0.3, 0.7]);
  expect(col("result.t0")).toEqual([0.6, null]);
  expect(col("failure.category")).toEqual([null, "input"]);
  expect(col("failure.code")).toEqual([null, 2]);
  expect(col("failure.message")).toEqual([null, "beta: expected a number below 0.5, got 0.7"]);
  const csv = toCsv(t);
  const lines = csv.trimEnd().split("\r\n");
  expect(lines).toHaveLength(3);
  expect(lines[0].split(",")).toEqual(t.columns);
  expect(csv).toContain('"say ""hi"", ok"'); // RFC 4180 quoting
});

test("Parquet read back through parquet-wasm and Arrow gives the same columns, types and values", async () => {
  const t = runsTable(listRuns(makeRuns()));
  const bytes = await toParquet(t);
  expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe("PAR1");
  expect(String.fromCharCode(...bytes.subarray(bytes.length - 4))).toBe("PAR1");
  const back = await readParquetTable(bytes);
  expect(back.schema.fields.map((f) => f.name)).toEqual(t.columns);
  expect(String(back.schema.fields.find((f) => f.name === "config.beta")?.type)).toBe("Float64");
  expect(back.getChild("config.beta")?.toArray()).toEqual(Float64Array.from([0.3, 0.7]));
  expect(back.getChild("result.t0")?.get(0)).toBe(0.6);
  expect(back.getChild("result.t0")?.get(1)).toBeNull();
  expect(back.getChild("status")?.get(1)).toBe("unfinished");
});

test("Parquet: a non-finite number stored as its text is that float64 number, its column stays numeric", async () => {
  const root = mkdtempSync(join(tmpdir(), "physml-table-"));
  for (const [name, chi2] of [
    ["a", 1.5],
    ["b", Number.NaN],
    ["c", Number.NEGATIVE_INFINITY],
  ] as const) {
    const run = openRun({
      dir: join(root, name),
      kind: "toy",
      input: {},
      resolve: (i) => i as object,
      provenance,
    });
    run.writeResult({ chi2 });
    run.close();
  }
  const t = runsTable(listRuns(root));
  expect(t.rows.map((r) => r[t.columns.indexOf("result.chi2")])).toEqual([1.5, "NaN", "-Infinity"]);
  const back = await readParquetTable(await toParquet(t));
  expect(String(back.schema.fields.find((f) => f.name === "result.chi2")?.type)).toBe("Float64");
  expect(back.getChild("result.chi2")?.toArray()).toEqual(Float64Array.from([1.5, Number.NaN, -Infinity]));
});
