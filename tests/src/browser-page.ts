// The page script of browser-webgpu.test.ts, bundled for the browser: runs each requested Ising
// run on the page's own WebGPU (navigator.gpu) through the packages' browser entries.
import { describeAdapter, requestGpuContext } from "@physml/gpu-device";
import { createGpuSampler } from "@physml/mcmc-gpu";
import { type IsingRunResult, type IsingRunSpec, runIsing, samplerOptions } from "./ising-run.ts";

/** What the page answers: the adapter and one result per run, or why there is no adapter. */
export type PageAnswer = { adapter: string; results: IsingRunResult[] } | { noAdapter: string };

const page = globalThis as unknown as {
  navigator: { gpu?: GPU };
  physmlRun?: (specs: IsingRunSpec[]) => Promise<PageAnswer>;
};

page.physmlRun = async (specs) => {
  const gpu = page.navigator.gpu;
  if (!gpu) return { noAdapter: "navigator.gpu is undefined (WebGPU disabled, or not a secure context)" };
  const ctx = await requestGpuContext(gpu);
  if (!ctx) return { noAdapter: "navigator.gpu.requestAdapter() returned null" };
  try {
    const results: IsingRunResult[] = [];
    for (const spec of specs) results.push(await runIsing(await createGpuSampler(samplerOptions(spec), ctx)));
    return { adapter: describeAdapter(ctx.adapter), results };
  } finally {
    ctx.device.destroy();
  }
};
