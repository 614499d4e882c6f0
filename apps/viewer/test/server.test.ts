// The viewer's server without a browser: the JSON API against independent truths (the KW dual
// as −½ ln tanh β), live metrics by server-sent events, and the path checks.
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dualCoupling } from "@physml/lattice-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CurrentSummary, RunDetail, RunList, SweepData, Viewer } from "../src/server/index.js";
import { MetricsTail, runDetail, runList, startViewer, sweepData } from "../src/server/index.js";
import { dualByTanh, type Fixture, makeFixture, metricLine } from "./fixture.js";

let fx: Fixture;
let viewer: Viewer;

beforeAll(async () => {
  fx = makeFixture();
  // A stand-in client: these tests are about the API and the paths, not the page.
  const client = join(fx.base, "client");
  mkdirSync(client);
  writeFileSync(join(client, "index.html"), "<!doctype html><title>viewer</title>");
  viewer = await startViewer({ root: fx.root, clientDir: client, pollMs: 50 });
});

afterAll(async () => {
  fx.live.close();
  await viewer.close();
  rmSync(fx.base, { recursive: true, force: true });
});

/** A raw GET (the path is sent exactly as given: no client-side normalisation of `..`). */
function rawGet(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: "127.0.0.1", port: viewer.port, path, method: "GET", headers }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", fail);
    req.end();
  });
}

const json = async <T>(path: string) => {
  const r = await rawGet(path);
  expect(r.status, `${path}: ${r.body}`).toBe(200);
  return JSON.parse(r.body) as T;
};

describe("JSON API", () => {
  test("lists every run under the directory, sweep points included, and the sweep they form", async () => {
    const list = await json<RunList>("/api/runs");
    expect(list.runs.map((r) => r.dir)).toEqual([
      "broken-config",
      "failed-run",
      "live-run",
      "sweep/beta-0.200",
      "sweep/beta-0.300",
      "sweep/beta-0.600",
      "torn-metrics",
    ]);
    expect(list.runs.find((r) => r.dir === "broken-config")?.status).toBe("unreadable");
    expect(list.runs.find((r) => r.dir === "live-run")?.status).toBe("running");
    expect(list.runs.find((r) => r.dir === "failed-run")).toMatchObject({
      status: "unfinished",
      failure: { category: "crash", code: 1, message: "WebGPU device lost" },
    });
    expect(list.sweeps).toEqual([{ dir: "sweep", kind: "duality-kw", points: 3 }]);
  });

  test("a run's result stands next to the exact β̃ (checked against −½ ln tanh β)", async () => {
    const d = await json<RunDetail>(`/api/run?run=${encodeURIComponent("sweep/beta-0.300")}`);
    const exact = dualByTanh(0.3);
    expect(d.reference?.exact).toBeCloseTo(exact, 12);
    expect(d.reference?.learned).toBeCloseTo(1.01 * exact, 12);
    expect(d.reference?.relativeError).toBeCloseTo(0.01, 10);
    expect(d.reference?.pull).toBeCloseTo(0.01 / 0.02, 8);
    expect(d.arrays).toEqual([{ name: "spins", bytes: 128 + 2 * 8 * 8 }]);
    expect(d.hasReport).toBe(true);
  });

  test("a sweep: |t0|(β) with errors and the exact curve", async () => {
    const s = await json<SweepData>("/api/sweep?dir=sweep");
    expect(s.points.map((p) => p.beta)).toEqual(fx.betas);
    for (const p of s.points) {
      expect(p.exact).toBeCloseTo(dualByTanh(p.beta), 12);
      expect(p.t0Error).toBeCloseTo(0.02 * dualByTanh(p.beta), 12);
    }
    expect(s.exact?.beta[0]).toBe(0.2);
    expect(s.exact?.beta.at(-1)).toBeCloseTo(0.6, 12);
    s.exact?.beta.forEach((b, i) => {
      expect(s.exact?.dual[i]).toBeCloseTo(dualByTanh(b), 12);
    });
  });

  test("every summary the API returns is read through `current` (the CLI's renamed and added fields)", async () => {
    // A reading that stores t0 under another name, as a renamed field would have been stored.
    const current: CurrentSummary = async (summary) =>
      summary.result ? { ...summary, result: { ...summary.result, t0: -1 } } : summary;
    expect((await runList(fx.root, current)).runs.filter((r) => r.result?.t0 === -1)).toHaveLength(3);
    const d = await runDetail(fx.root, join(fx.root, "sweep/beta-0.300"), current);
    expect(d.summary.result?.t0).toBe(-1);
    expect(d.reference?.learned).toBe(1);
    const sweep = await sweepData(fx.root, join(fx.root, "sweep"), current);
    expect(sweep.points.map((p) => p.t0)).toEqual([1, 1, 1]);
  });

  test("an array comes back decoded with its shape", async () => {
    const a = await json<{ shape: number[]; dtype: string; data: number[] }>(
      "/api/array?run=live-run&name=spins",
    );
    expect(a.shape).toEqual([3, 16, 16]);
    expect(a.dtype).toBe("|i1");
    expect(new Set(a.data)).toEqual(new Set([1, -1]));
  });

  test("malformed runs answer with the reason, not a crash", async () => {
    const bad = await json<RunDetail>("/api/run?run=broken-config");
    expect(bad.summary.error).toMatch(/config\.json|JSON/);
    expect((await rawGet("/api/run?run=nope")).status).toBe(404);
    expect((await rawGet("/api/run")).body).toMatch(/missing query parameter run/);
    expect((await rawGet("/api/array?run=live-run&name=..%2Fconfig")).status).toBe(400);
    expect(dualCoupling(0.3)).toBeCloseTo(dualByTanh(0.3), 14);
  });
});

/** Collects server-sent events of `path` until `until` holds. */
function events(path: string, until: (evs: { event: string; data: unknown }[]) => boolean) {
  return new Promise<{ event: string; data: unknown }[]>((ok, fail) => {
    const evs: { event: string; data: unknown }[] = [];
    const req = request({ host: "127.0.0.1", port: viewer.port, path }, (res) => {
      let buf = "";
      res.on("data", (c) => {
        buf += c;
        let k = buf.indexOf("\n\n");
        while (k >= 0) {
          const block = buf.slice(0, k);
          buf = buf.slice(k + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
          const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null");
          evs.push({ event, data });
          k = buf.indexOf("\n\n");
        }
        if (until(evs)) {
          req.destroy();
          ok(evs);
        }
      });
    });
    req.on("error", (e) => ((e as NodeJS.ErrnoException).code === "ECONNRESET" ? undefined : fail(e)));
    req.end();
  });
}

describe("live metrics", () => {
  test("lines appended to metrics.jsonl arrive as events", async () => {
    const steps = (evs: { event: string; data: unknown }[]) =>
      evs
        .filter((e) => e.event === "metrics")
        .flatMap((e) => (e.data as { records: { step: number }[] }).records.map((r) => r.step));
    let appended = false;
    const evs = await events("/api/live?run=live-run", (evs) => {
      if (!appended && evs.some((e) => e.event === "ready")) {
        appended = true;
        setTimeout(() => {
          for (let s = 3; s < 6; s++) fx.live.appendMetric(metricLine(s, 0.3));
        }, 20);
      }
      return steps(evs).length >= 6;
    });
    expect(steps(evs)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test("a bad line is reported with its number, a torn tail waits", async () => {
    const evs = await events("/api/live?run=torn-metrics", (evs) => evs.some((e) => e.event === "ready"));
    const problems = evs
      .filter((e) => e.event === "problem")
      .map((e) => (e.data as { message: string }).message);
    expect(problems).toEqual([expect.stringMatching(/^metrics\.jsonl line 2 is not JSON/)]);
    const records = evs
      .filter((e) => e.event === "metrics")
      .flatMap((e) => (e.data as { records: unknown[] }).records);
    expect(records).toHaveLength(2);
  });
});

describe("MetricsTail", () => {
  test("a file replaced by a rename (a resume rewriting its metrics) starts over, even when longer", () => {
    const dir = mkdtempSync(join(tmpdir(), "physml-tail-"));
    const path = join(dir, "metrics.jsonl");
    const seen: string[] = [];
    const tail = new MetricsTail(path, {
      records: (rs, from) =>
        seen.push(`records ${from}:${rs.map((r) => (r as { step: number }).step).join(",")}`),
      reset: () => seen.push("reset"),
      problem: (m) => seen.push(m),
    });
    tail.poll();
    writeFileSync(path, '{"step":0}\n{"step":1}\n{"st');
    tail.poll();
    appendFileSync(path, 'ep":2}\n');
    tail.poll();
    writeFileSync(`${path}.tmp`, '{"step":0}\n{"step":1}\n{"step":7}\n{"step":8}\n{"step":9}\n');
    renameSync(`${path}.tmp`, path);
    tail.poll();
    expect(seen).toEqual(["records 1:0,1", "records 3:2", "reset", "records 1:0,1,7,8,9"]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("only files under the runs directory are served", () => {
  test("a file of a run is served", async () => {
    const r = await rawGet("/files/sweep/beta-0.300/report.html");
    expect(r.status).toBe(200);
    expect(r.body).toContain("REPORT-BODY");
  });

  test("a request naming another host (DNS rebinding) is refused", async () => {
    const r = await rawGet("/files/sweep/beta-0.300/report.html", { host: `evil.example:${viewer.port}` });
    expect(r.status).toBe(403);
    expect(r.body).not.toContain("REPORT-BODY");
    expect((await rawGet("/api/runs", { host: `localhost:${viewer.port}` })).status).toBe(200);
  });

  const attempts = [
    "/files/../secret.txt",
    "/files/%2e%2e/secret.txt",
    "/files/%2e%2e%2fsecret.txt",
    "/files/sweep/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/files/..%5csecret.txt",
    `/files/${encodeURIComponent("/etc/passwd")}`,
    "/files//etc/passwd",
    "/files/escape.txt",
    "/files/escape-dir/secret.txt",
    "/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json",
    "/..%2fsecret.txt",
    "/files/%00",
    "/files/%E0%A4%A",
    "/api/run?run=..",
    "/api/run?run=%2Fetc",
    "/api/run?run=escape-dir",
    "/api/sweep?dir=..%2F..",
    "/api/array?run=escape-dir&name=secret",
    "/api/live?run=..",
  ];
  for (const path of attempts) {
    test(`${path} → 4xx without contents`, async () => {
      const r = await rawGet(path);
      expect([400, 403, 404]).toContain(r.status);
      expect(r.body).not.toContain("TOP-SECRET");
      expect(r.body).not.toContain("root:");
    });
  }
});
