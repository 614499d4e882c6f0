// The WebGPU sampler in a real browser: the packages' browser entries bundled with a page script
// (browser-page.ts), loaded by Debian's chromium through playwright-core, run on the page's own
// navigator.gpu (SwiftShader here) and compared bit for bit with the same runs in Node, on the
// CPU backend and on Dawn. Without chromium the file skips and says why, unless
// PHYSML_REQUIRE_BROWSER=1 promised one; a page without a WebGPU adapter skips, naming the cause.
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type GpuContext, getGpuContext } from "@physml/gpu-device";
import { gpuPromised, NO_GPU, testGpuContext } from "@physml/gpu-device/testing";
import { createGpuSampler, createSampler } from "@physml/mcmc-gpu";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bundleForBrowser } from "./browser-bundle.ts";
import type { PageAnswer } from "./browser-page.ts";
import { ISING_RUNS, type IsingRunResult, runIsing, samplerOptions } from "./ising-run.ts";

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

/**
 * Where two results differ, field by field ("terms: 37 of 256 values differ, first at 4: 120 vs
 * 118"); empty when they are equal. Keeps a failure short where a full diff of the arrays is not.
 */
function differences(a: IsingRunResult, b: IsingRunResult): string[] {
  const out: string[] = [];
  for (const key of Object.keys(a) as (keyof IsingRunResult)[]) {
    const [x, y] = [a[key], b[key]];
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
      (specs) =>
        (globalThis as unknown as { physmlRun: (s: typeof specs) => Promise<PageAnswer> }).physmlRun(specs),
      ISING_RUNS,
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
      if (k === 0)
        process.stderr.write(`browser: ${answer.adapter}, ${ISING_RUNS.length} runs in ${pageMs} ms\n`);
      const spec = ISING_RUNS[k];
      const inPage: IsingRunResult = answer.results[k];
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
});
