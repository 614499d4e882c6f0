// The page script of browser-webgpu.test.ts, bundled for the browser: runs each requested Ising,
// model-sampler and ladder run on the page's own WebGPU (navigator.gpu) through the packages'
// browser entries.
import { describeAdapter, requestGpuContext } from "@physml/gpu-device";
import { createGpuModelSampler, createGpuModelTempering, createGpuSampler } from "@physml/mcmc-gpu";
import { type IsingRunResult, type IsingRunSpec, runIsing, samplerOptions } from "./ising-run.ts";
import {
  type LadderRunResult,
  type LadderRunSpec,
  ladderOptions,
  type ModelRunResult,
  type ModelRunSpec,
  modelOptions,
  runLadder,
  runModel,
} from "./model-run.ts";

/** The runs a page is asked for. */
export interface PageRuns {
  ising: IsingRunSpec[];
  models: ModelRunSpec[];
  ladders: LadderRunSpec[];
}

/** What the page answers: the adapter and one result per run, or why there is no adapter. */
export type PageAnswer =
  | { adapter: string; ising: IsingRunResult[]; models: ModelRunResult[]; ladders: LadderRunResult[] }
  | { noAdapter: string };

const page = globalThis as unknown as {
  navigator: { gpu?: GPU };
  physmlRun?: (runs: PageRuns) => Promise<PageAnswer>;
};

page.physmlRun = async (runs) => {
  const gpu = page.navigator.gpu;
  if (!gpu) return { noAdapter: "navigator.gpu is undefined (WebGPU disabled, or not a secure context)" };
  const ctx = await requestGpuContext(gpu);
  if (!ctx) return { noAdapter: "navigator.gpu.requestAdapter() returned null" };
  try {
    const ising: IsingRunResult[] = [];
    for (const spec of runs.ising)
      ising.push(await runIsing(await createGpuSampler(samplerOptions(spec), ctx)));
    const models: ModelRunResult[] = [];
    for (const spec of runs.models)
      models.push(await runModel(await createGpuModelSampler(modelOptions(spec), ctx), spec));
    const ladders: LadderRunResult[] = [];
    for (const spec of runs.ladders)
      ladders.push(await runLadder(await createGpuModelTempering(ladderOptions(spec), ctx)));
    return { adapter: describeAdapter(ctx.adapter), ising, models, ladders };
  } finally {
    ctx.device.destroy();
  }
};
