// The WebGPU samplers in a real browser: the packages' browser entries bundled with a page script
// (browser-page.ts), loaded by Debian's chromium through playwright-core, run on the page's own
// navigator.gpu (SwiftShader here) and compared bit for bit with the same runs in Node, on the
// CPU backend and on Dawn (O(n) models: with Dawn only, see below). Without chromium the file skips and says why, unless
// PHYSML_REQUIRE_BROWSER=1 promised one; a page without a WebGPU adapter skips, naming the cause.
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type GpuContext, getGpuContext } from "@physml/gpu-device";
import { gpuPromised, NO_GPU, testGpuContext } from "@physml/gpu-device/testing";
import {
  createGpuModelSampler,
  createGpuModelTempering,
  createGpuSampler,
  createModelSampler,
  createModelTempering,
  createSampler,
} from "@physml/mcmc-gpu";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bundleForBrowser } from "./browser-bundle.ts";
import type { PageAnswer, PageRuns } from "./browser-page.ts";
import { ISING_RUNS, runIsing, samplerOptions } from "./ising-run.ts";
import {
  LADDER_RUNS,
  ladderOptions,
  MODEL_RUNS,
  type ModelRunResult,
  modelOptions,
  runLadder,
  runModel,
} from "./model-run.ts";

const FILE = "tests/src/browser-webgpu.test.ts";
const CHROMIUM = process.env.PHYSML_CHROMIUM ?? "/usr/bin/chromium";
/** WebGPU is behind a flag on Linux; SwiftShader is chromium's own software Vulkan. */
const WEBGPU_FLAGS = [
  "--enable-unsafe-webgpu",
  "--enable-features=Vulkan",
  "--use-webgpu-adapter=swiftshader",
];
const here = import.meta.dirname;
const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.PHYSML_REQUIRE_BROWSER === "1")
    throw new Error(`PHYSML_REQUIRE_BROWSER=1 promised a browser, but ${CHROMIUM} does not exist`);
  process.stderr.write(
    `${FILE}: browser tests skipped: no ${CHROMIUM} (apt-get install chromium, or bash scripts/setup.sh --gpu)\n`,
  );
}

let server: Server;
let browser: Browser;
let answer: PageAnswer;
let pageMs = 0;
let dawn: GpuContext | null = null;

const RUNS: PageRuns = { ising: ISING_RUNS, models: MODEL_RUNS, ladders: LADDER_RUNS };
/**
 * The page's O(n) starts are the CPU's Float64 unit vectors rounded to f32: each component is in
 * [−1, 1], where rounding to nearest moves a value by at most half an f32 ulp below 1, 2^−25.
 */
const F32_ROUNDING = 2 ** -25;

/**
 * Where two results differ, field by field ("terms: 37 of 256 values differ, first at 4: 120 vs
 * 118"); empty when they are equal. Keeps a failure short where a full diff of the arrays is not.
 */
function differences(a: object, b: object): string[] {
  const out: string[] = [];
  const [ra, rb] = [a as Record<string, unknown>, b as Record<string, unknown>];
  for (const key of Object.keys(ra)) {
    const [x, y] = [ra[key], rb[key]];
    if (Array.isArray(x) && Array.isArray(y) && x.some(Array.isArray)) {
      if (x.length !== y.length) out.push(`${key}: ${x.length} vs ${y.length} entries`);
      else
        for (let i = 0; i < x.length; i++)
          out.push(...differences({ [`${key}[${i}]`]: x[i] }, { [`${key}[${i}]`]: y[i] }));
      continue;
    }
    if (!Array.isArray(x) || !Array.isArray(y)) {
      if (x !== y) out.push(`${key}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
      continue;
    }
    const bad = x.flatMap((v, i) => (v === y[i] ? [] : [i]));
    if (x.length !== y.length) out.push(`${key}: ${x.length} vs ${y.length} values`);
    else if (bad.length > 0)
      out.push(
        `${key}: ${bad.length} of ${x.length} values differ, first at ${bad[0]}: ${x[bad[0]]} vs ${y[bad[0]]}`,
      );
  }
  return out;
}

/** Serves the page and its bundled script from 127.0.0.1 (a secure context, as WebGPU needs). */
async function serve(script: string): Promise<string> {
  const html =
    '<!doctype html><meta charset="utf-8"><title>physml</title><script type="module" src="page.js"></script>';
  server = createServer((req, res) => {
    const js = req.url === "/page.js";
    res.setHeader("content-type", js ? "text/javascript" : "text/html");
    res.end(js ? script : html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe.skipIf(!available)("the WebGPU sampler in chromium", () => {
  beforeAll(async () => {
    // Dawn is the second reference; without an adapter (none promised) only the CPU one is used.
    dawn = gpuPromised() ? await testGpuContext(FILE) : await getGpuContext();
    if (!dawn) process.stderr.write(`${FILE}: the comparison with Dawn skipped: ${NO_GPU}\n`);
    const bundle = await bundleForBrowser('import "./browser-page.ts";', here);
    expect(bundle.nodeOnly).toEqual([]);
    const url = await serve(bundle.code);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", ...WEBGPU_FLAGS] });
    const page = await browser.newPage();
    page.setDefaultTimeout(60_000);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // Served, not opened as about:blank: WebGPU exists only in secure contexts such as 127.0.0.1.
    await page.goto(url);
    await page.waitForFunction(() => "physmlRun" in globalThis);
    const t = Date.now();
    answer = await page.evaluate(
      (runs) =>
        (globalThis as unknown as { physmlRun: (r: typeof runs) => Promise<PageAnswer> }).physmlRun(runs),
      RUNS,
    );
    pageMs = Date.now() - t;
    if ("noAdapter" in answer) {
      const flags = WEBGPU_FLAGS.join(" ") || "none";
      process.stderr.write(`${FILE}: the runs in chromium skipped: ${answer.noAdapter} (flags: ${flags})\n`);
    }
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  test.for(ISING_RUNS.map((spec, k) => [spec.name, k] as const))(
    "%s: the page's chains equal the CPU backend's and Dawn's",
    async ([, k], t) => {
      if ("noAdapter" in answer) return t.skip(answer.noAdapter);
      if (k === 0) {
        const runs = ISING_RUNS.length + MODEL_RUNS.length + LADDER_RUNS.length;
        process.stderr.write(`browser: ${answer.adapter}, ${runs} runs in ${pageMs} ms\n`);
      }
      const spec = ISING_RUNS[k];
      const inPage = answer.ising[k];
      const cpu = await runIsing(
        await createSampler({ ...samplerOptions(spec), backend: "cpu", workers: 1 }),
      );
      // Not vacuous: the run measured something and moved the chains.
      expect(inPage.terms.length).toBe(spec.chains * 4 * 4);
      expect(new Set(inPage.snapshot).size).toBe(2);
      expect(differences(inPage, cpu), "page vs CPU backend").toEqual([]);
      if (dawn) {
        const onDawn = await runIsing(await createGpuSampler(samplerOptions(spec), dawn));
        expect(differences(inPage, onDawn), "page vs Dawn").toEqual([]);
      }
    },
  );

  // Ising descriptions are exact on both backends, so the page must equal the CPU backend too.
  // O(n) models run in f32 with WGSL's transcendentals on the GPU (sin/cos within 2^−11 by the
  // WGSL spec) and in Float64 on the CPU (XY even with another proposal, xy-metropolis): after one
  // sweep the configurations differ by ~5·10⁻⁴ on SwiftShader and within ten sweeps some accept
  // decision flips, so their trajectories are compared with Dawn only (same WGSL, same f32, same
  // SwiftShader), and with the CPU only at the start, within f32 rounding. The statistical
  // agreement of the O(n) GPU kernels with the CPU is tested on Dawn (on-model-gpu.test.ts).
  test.for(MODEL_RUNS.map((spec, k) => [spec.name, k] as const))(
    "model sampler, %s: the page's chains equal Dawn's and, for Ising, the CPU backend's",
    async ([, k], t) => {
      if ("noAdapter" in answer) return t.skip(answer.noAdapter);
      const spec = MODEL_RUNS[k];
      const inPage: ModelRunResult = answer.models[k];
      // Not vacuous: 4 samples per chain were measured, the chains moved, O(n) widths adapted.
      expect(inPage.backend).toBe("webgpu");
      expect(inPage.rows.length).toBeGreaterThanOrEqual(spec.chains * 4);
      expect(inPage.snapshot).not.toEqual(inPage.start);
      if (inPage.widths) expect(inPage.widths.some((w) => w !== 1)).toBe(true);
      const cpu = await runModel(
        await createModelSampler({ ...modelOptions(spec), backend: "cpu", workers: 1 }),
        spec,
      );
      if (spec.model.spin === "ising") {
        expect(differences({ ...inPage, backend: "cpu" }, cpu), "page vs CPU backend").toEqual([]);
      } else {
        expect(inPage.start.length).toBe(cpu.start.length);
        const worst = Math.max(...inPage.start.map((v, i) => Math.abs(v - cpu.start[i])));
        expect(worst, "page start vs CPU start").toBeLessThanOrEqual(F32_ROUNDING);
      }
      if (dawn) {
        const onDawn = await runModel(await createGpuModelSampler(modelOptions(spec), dawn), spec);
        expect(differences(inPage, onDawn), "page vs Dawn").toEqual([]);
      }
    },
  );

  test.for(LADDER_RUNS.map((spec, k) => [spec.name, k] as const))(
    "model tempering, %s: the page's ladder equals the CPU backend's and Dawn's",
    async ([, k], t) => {
      if ("noAdapter" in answer) return t.skip(answer.noAdapter);
      const spec = LADDER_RUNS[k];
      const inPage = answer.ladders[k];
      // Not vacuous: every slot was measured and some exchanges were accepted.
      expect(inPage.rows.map((r) => r.length > 0)).toEqual(spec.betas.map(() => true));
      expect(inPage.accepted.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      const cpu = await runLadder(await createModelTempering({ ...ladderOptions(spec), backend: "cpu" }));
      expect(differences(inPage, cpu), "page vs CPU backend").toEqual([]);
      if (dawn) {
        const onDawn = await runLadder(await createGpuModelTempering(ladderOptions(spec), dawn));
        expect(differences(inPage, onDawn), "page vs Dawn").toEqual([]);
      }
    },
  );
});
