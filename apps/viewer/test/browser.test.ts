// The viewer in a real browser: playwright-core driving Debian's chromium (no browser download)
// against the server over a fake-but-valid runs directory. Checks that the run list renders, a
// curve grows while lines are appended to metrics.jsonl, a metric whose first value is the text
// "NaN" (or that starts later) gets its chart, a failed run says why, a spin
// configuration is drawn pixel for pixel, a sweep plots its points, and bad paths or malformed
// runs show an error in the page.
// Keeps a screenshot at test-artifacts/viewer.png. Without chromium the tests skip and say why,
// unless PHYSML_REQUIRE_BROWSER=1 (the repository's test script) promised one.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRun, provenanceOf } from "@physml/runs";
import { type Browser, chromium, type Page } from "playwright-core";
import { build, defaultClientConditions } from "vite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startViewer, type Viewer } from "../src/server/index.js";
import { type Fixture, makeFixture, metricLine, spinStack } from "./fixture.js";

const CHROMIUM = process.env.PHYSML_CHROMIUM ?? "/usr/bin/chromium";
const here = import.meta.dirname;
const artifact = join(here, "../../../test-artifacts/viewer.png");
const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.PHYSML_REQUIRE_BROWSER === "1")
    throw new Error(`PHYSML_REQUIRE_BROWSER=1 promised a browser, but ${CHROMIUM} does not exist`);
  process.stderr.write(
    `apps/viewer/test/browser.test.ts: browser tests skipped: no ${CHROMIUM} (apt-get install chromium, or bash scripts/setup.sh --gpu)\n`,
  );
}

let fx: Fixture;
let viewer: Viewer;
let browser: Browser;
let page: Page;
let clientDir: string;

describe.skipIf(!available)("the viewer in chromium", () => {
  beforeAll(async () => {
    fx = makeFixture();
    clientDir = mkdtempSync(join(tmpdir(), "physml-viewer-client-"));
    await build({
      configFile: join(here, "../vite.config.ts"),
      build: { outDir: clientDir, emptyOutDir: true },
      // the sibling packages' TypeScript sources, as every test reads them: no build needed first
      resolve: { conditions: ["@physml/source", ...defaultClientConditions] },
      logLevel: "silent",
    });
    viewer = await startViewer({ root: fx.root, clientDir, pollMs: 100 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    // Generous: in CI this file shares 2 cores with the whole suite.
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
    fx?.live.close();
    if (fx) rmSync(fx.base, { recursive: true, force: true });
    if (clientDir) rmSync(clientDir, { recursive: true, force: true });
  });

  test("the run list renders every run and the sweep", async () => {
    await page.goto(viewer.url);
    await page.waitForSelector('nav button[data-run="live-run"]');
    const runs = await page.$$eval("nav button[data-run]", (bs) => bs.map((b) => b.getAttribute("data-run")));
    expect(runs).toEqual([
      "broken-config",
      "failed-run",
      "live-run",
      "sweep/beta-0.200",
      "sweep/beta-0.300",
      "sweep/beta-0.600",
      "torn-metrics",
    ]);
    expect(await page.textContent('nav button[data-sweep="sweep"]')).toContain("3 duality-kw runs");
    expect(await page.textContent('nav button[data-run="failed-run"]')).toContain(
      "failed: WebGPU device lost",
    );
  });

  test("a run that failed says why, when and with which exit code", async () => {
    await page.goto(`${viewer.url}#run=failed-run`);
    await page.waitForSelector("main .problem");
    expect(await page.textContent("main .problem")).toMatch(
      /^This run failed \(crash, exit 1\) at \d{4}-\d\d-\d\dT[\d:.]+Z: WebGPU device lost$/,
    );
  });

  test("a curve grows while metrics lines are appended, and the spins are drawn as an image", async () => {
    await page.goto(`${viewer.url}#run=live-run`);
    await page.waitForSelector('#live[data-records="3"] canvas');
    const t = Date.now();
    for (let step = 3; step < 9; step++) fx.live.appendMetric(metricLine(step, 0.3));
    await page.waitForSelector('#live[data-records="9"]');
    process.stderr.write(`viewer: 6 appended metrics lines drawn ${Date.now() - t} ms later (poll 100 ms)\n`);
    expect(await page.$eval("#live", (e) => e.querySelectorAll(".uplot").length)).toBe(3);
    expect(await page.textContent("main > table tr:nth-child(4) td")).toBe("9");

    await page.waitForSelector('canvas[data-array="spins"]');
    const pixels = await page.$eval('canvas[data-array="spins"]', (c) => {
      const canvas = c as HTMLCanvasElement;
      const d = (canvas.getContext("2d") as CanvasRenderingContext2D).getImageData(
        0,
        0,
        canvas.width,
        canvas.height,
      ).data;
      const light: boolean[] = [];
      for (let i = 0; i < d.length; i += 4) light.push(d[i] + d[i + 1] + d[i + 2] > 3 * 128);
      return {
        w: canvas.width,
        h: canvas.height,
        light,
        opaque: d.filter((_, i) => i % 4 === 3).every((a) => a === 255),
      };
    });
    expect([pixels.w, pixels.h]).toEqual([16, 16]);
    expect(pixels.opaque).toBe(true);
    // Configuration 0 of the stack: +1 light, −1 dark, site (x, y) at row y, column x.
    const expected = Array.from(spinStack(3, 16).subarray(0, 256), (s) => s === 1);
    expect(pixels.light).toEqual(expected);
    expect(new Set(pixels.light).size).toBe(2);
    mkdirSync(join(artifact, ".."), { recursive: true });
    await page.screenshot({ path: artifact, fullPage: true });
    process.stderr.write(`viewer screenshot: ${artifact}\n`);
  });

  test("a metric whose first value diverged (stored as the text NaN) gets its chart, and one that starts later too", async () => {
    // Created here, after the run-list test: the fixture's run list stays as that test expects.
    const run = openRun({
      dir: join(fx.root, "diverged-first"),
      kind: "toy",
      input: {},
      resolve: (input) => input as Record<string, unknown>,
      provenance: provenanceOf(import.meta.url),
    });
    run.appendMetric({ step: 0, loss: Number.NaN, grad: Number.POSITIVE_INFINITY, lr: 0.1 });
    expect(readFileSync(join(fx.root, "diverged-first", "metrics.jsonl"), "utf8")).toBe(
      '{"step":0,"loss":"NaN","grad":"Infinity","lr":0.1}\n',
    );
    const charted = () =>
      page.$$eval("#live [data-chart]", (cs) => cs.map((c) => c.getAttribute("data-chart")));
    // the series' colour (#4477aa) on a chart's canvas: its line is drawn
    const lineDrawn = (id: string) =>
      page.$eval(`#live [data-chart="${id}"] canvas`, (c) => {
        const canvas = c as HTMLCanvasElement;
        const d = (canvas.getContext("2d") as CanvasRenderingContext2D).getImageData(
          0,
          0,
          canvas.width,
          canvas.height,
        ).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4)
          if (d[i] === 0x44 && d[i + 1] === 0x77 && d[i + 2] === 0xaa) n++;
        return n > 0;
      });
    try {
      await page.goto(`${viewer.url}#run=diverged-first`);
      await page.waitForSelector('#live[data-records="1"] canvas');
      expect(await charted()).toEqual(["metric:loss", "metric:grad", "metric:lr"]);
      expect(await lineDrawn("metric:loss")).toBe(false);
      // a chart without a finite value says why it has no line; one with a value says nothing
      const notes = () =>
        page.$$eval("#live [data-chart] .chart-note", (ns) =>
          ns.map((n) => [n.parentElement?.getAttribute("data-chart"), n.textContent]),
        );
      const why = "no line yet: every value so far is NaN or ±Infinity";
      expect(await notes()).toEqual([
        ["metric:loss", why],
        ["metric:grad", why],
      ]);
      for (let step = 1; step < 5; step++)
        run.appendMetric({
          step,
          loss: 1 / (1 + step),
          grad: 2,
          lr: 0.1,
          ...(step >= 2 ? { late: step } : {}),
        });
      await page.waitForSelector('#live[data-records="5"]');
      expect(await charted()).toEqual(["metric:loss", "metric:grad", "metric:lr", "metric:late"]);
      expect(await lineDrawn("metric:loss")).toBe(true);
      expect(await notes()).toEqual([]);
      expect(await page.isVisible("#error")).toBe(false);
    } finally {
      run.close();
    }
  });

  test("the result stands next to the exact β̃, and a sweep plots t0(β) against the KW curve", async () => {
    await page.goto(`${viewer.url}#run=${encodeURIComponent("sweep/beta-0.300")}`);
    await page.waitForSelector("#result table");
    const result = await page.textContent("#result");
    expect(result).toContain("exact β̃ = atanh(exp(−2β))");
    expect(result).toContain("1.00 %");
    expect(await page.$$eval("#result .bars tr", (rows) => rows.map((r) => r.textContent))).toEqual([
      "perp(-1/2,-1/2)0.9",
      "identity0.1",
    ]);
    await page.goto(`${viewer.url}#sweep=sweep`);
    await page.waitForSelector('#sweep-chart[data-points="3"] canvas');
    expect(await page.$$eval("#sweep-table tr", (rows) => rows.length)).toBe(4);
    const sweepShot = join(artifact, "../viewer-sweep.png");
    await page.screenshot({ path: sweepShot, fullPage: true });
    process.stderr.write(`viewer screenshot: ${sweepShot}\n`);
  });

  test("bad paths and malformed runs show an error in the page, never a blank screen", async () => {
    // a hash change keeps the document: the previous case's problem stays on the page until this
    // one's replaces it, so each case waits for its own words rather than for any problem
    const problemShown = async (hash: string, why: RegExp) => {
      await page.goto(`${viewer.url}#${hash}`);
      await page
        .waitForFunction(
          (source) => new RegExp(source).test(document.querySelector("main .problem")?.textContent ?? ""),
          why.source,
          { timeout: 10_000 },
        )
        .catch(() => undefined);
      expect(await page.textContent("main .problem")).toMatch(why);
    };
    for (const [hash, why] of [
      ["run=..%2F..", /outside the runs directory/],
      ["run=%2Fetc", /only paths relative to the runs directory/],
      ["run=missing-run", /not found/],
      ["sweep=escape-dir", /leads outside the runs directory/],
    ] as const) {
      await problemShown(hash, why);
      expect(await page.isVisible("#error")).toBe(true);
    }
    await problemShown("run=broken-config", /cannot be read completely.*config\.json/);
    await page.goto(`${viewer.url}#run=torn-metrics`);
    await page.waitForSelector('#live[data-records="2"]');
    expect(await page.textContent("main")).toMatch(/metrics\.jsonl line 2 is not JSON/);
  });
});
